//! A QR code drawn as inline SVG, for handing a public page over to the citizen's own phone.
//!
//! Only public URLs are ever encoded (a service page, a tracking page that asks to sign in):
//! never a token or personal data — the caller passes a [`PublicUrl`], which can only be built from
//! a path of this portal. The URL is also printed in clear under the code, for people who cannot
//! scan it.

use leptos::prelude::*;
use qrcodegen::{QrCode as Code, QrCodeEcc};

/// An absolute URL of a public page of this portal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    /// `origin` + `path`; the query string and fragment are dropped so nothing else can leak.
    pub fn of_page(origin: &str, path: &str) -> Self {
        let path = path.split(['?', '#']).next().unwrap_or("/");
        PublicUrl(format!("{}{}", origin.trim_end_matches('/'), path))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The SVG path (`d` attribute) of the dark modules, plus the side length in modules with the quiet
/// zone, or `None` if the text is too long to encode.
pub fn svg_path(text: &str) -> Option<(String, i32)> {
    let code = Code::encode_text(text, QrCodeEcc::Medium).ok()?;
    let quiet = 4;
    let size = code.size();
    let mut d = String::new();
    for y in 0..size {
        for x in 0..size {
            if code.get_module(x, y) {
                d.push_str(&format!("M{},{}h1v1h-1z", x + quiet, y + quiet));
            }
        }
    }
    Some((d, size + 2 * quiet))
}

#[component]
pub fn QrCode(
    /// The public address to encode.
    url: PublicUrl,
    /// What the code leads to, read by screen readers ("QR code de la page du service …").
    #[prop(into)]
    label: String,
) -> impl IntoView {
    let drawn = svg_path(url.as_str());
    let text = url.as_str().to_owned();
    view! {
        <figure class="gu-qr">
            {drawn.map(|(d, side)| view! {
                <svg class="gu-qr__code" viewBox=format!("0 0 {side} {side}") role="img" aria-label=label.clone()>
                    <rect width=side height=side fill="#fff"></rect>
                    <path d=d fill="#000"></path>
                </svg>
            })}
            <figcaption class="gu-qr__url">{text}</figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_url_drops_query_and_fragment() {
        let url = PublicUrl::of_page(
            "http://127.0.0.1:8080/",
            "/mes-demarches/gien/42?token=secret#x",
        );
        assert_eq!(url.as_str(), "http://127.0.0.1:8080/mes-demarches/gien/42");
    }

    #[test]
    fn encodes_a_url_into_a_square_with_quiet_zone() {
        let (d, side) = svg_path("http://127.0.0.1:8080/service/gien/acte-naissance").unwrap();
        // Version 4 (33 modules) at medium correction for this length, plus 2×4 quiet modules.
        assert_eq!(side, 41);
        assert!(
            d.starts_with("M4,4h1v1h-1z"),
            "finder pattern starts at the quiet-zone corner"
        );
    }
}
