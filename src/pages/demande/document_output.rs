//! Getting a document out of the browser: saved on the citizen's own device, or printed on a kiosk.
//!
//! On a kiosk nothing may stay on the shared machine, so a document is never downloaded: it is
//! shown in an invisible frame and printed. Only PDF, JPEG and PNG are ever rendered, with the
//! type this code sets (never the provider's word): a document that claims to be HTML cannot run on
//! the portal's origin. The frame and its object URL go away after a while, or with the next print,
//! and in any case with the wipe (the page is left).

use leptos::prelude::set_timeout;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

/// What a kiosk may render to print.
const PRINTABLE: [&str; 3] = ["application/pdf", "image/jpeg", "image/png"];
const FRAME_ID: &str = "gu-print-frame";
/// Long enough for the print dialog and spooling; the wipe removes it anyway.
const FRAME_LIFETIME: Duration = Duration::from_secs(120);

/// The printable type `content_type` names (parameters and case ignored), if any.
pub fn printable_type(content_type: &str) -> Option<&'static str> {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    PRINTABLE
        .into_iter()
        .find(|t| t.eq_ignore_ascii_case(essence))
}

fn object_url(bytes: &[u8], content_type: &str) -> Option<String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(content_type);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

/// Saves the bytes as a file named `name` on the citizen's device.
pub fn save_as(bytes: &[u8], name: &str) {
    // Opaque bytes: the file is saved, never opened by the browser on this origin.
    let Some(url) = object_url(bytes, "application/octet-stream") else {
        return;
    };
    let link = crate::browser::document().and_then(|d| d.create_element("a").ok());
    if let Some(a) = link {
        let _ = a.set_attribute("href", &url);
        let _ = a.set_attribute("download", name);
        if let Ok(a) = a.dyn_into::<web_sys::HtmlElement>() {
            a.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

fn remove_frame(document: &web_sys::Document) {
    if let Some(old) = document.get_element_by_id(FRAME_ID) {
        if let Some(src) = old.get_attribute("src") {
            let _ = web_sys::Url::revoke_object_url(&src);
        }
        old.remove();
    }
}

/// Prints the document (a kiosk); `false` if it is not a type that may be printed.
pub fn print(bytes: &[u8], content_type: &str) -> bool {
    let Some(kind) = printable_type(content_type) else {
        return false;
    };
    let Some(document) = crate::browser::document() else {
        return false;
    };
    remove_frame(&document);
    let (Some(url), Some(body)) = (object_url(bytes, kind), document.body()) else {
        return false;
    };
    let Ok(frame) = document
        .create_element("iframe")
        .map(|e| e.unchecked_into::<web_sys::HtmlIFrameElement>())
    else {
        return false;
    };
    frame.set_id(FRAME_ID);
    frame.set_title(crate::i18n::texts().demande.print_frame);
    let _ = frame.set_attribute("aria-hidden", "true");
    let _ = frame.set_attribute("tabindex", "-1");
    // Through the CSS object model (allowed by a strict style-src), not a style attribute.
    let style = frame.style();
    for (property, value) in [
        ("position", "fixed"),
        ("right", "0"),
        ("bottom", "0"),
        ("width", "1px"),
        ("height", "1px"),
        ("border", "0"),
        ("opacity", "0"),
    ] {
        let _ = style.set_property(property, value);
    }
    let printed = frame.clone();
    let on_load = Closure::once_into_js(move || {
        if let Some(w) = printed.content_window() {
            let _ = w.focus();
            let _ = w.print();
        }
    });
    frame.set_onload(Some(on_load.unchecked_ref()));
    frame.set_src(&url);
    if body.append_child(&frame).is_err() {
        let _ = web_sys::Url::revoke_object_url(&url);
        return false;
    }
    set_timeout(move || remove_frame(&document), FRAME_LIFETIME);
    true
}

#[cfg(test)]
mod tests {
    use super::printable_type;

    #[test]
    fn only_pdf_and_images_are_printed_whatever_the_provider_claims() {
        assert_eq!(printable_type("application/pdf"), Some("application/pdf"));
        assert_eq!(printable_type("IMAGE/PNG; name=x"), Some("image/png"));
        for refused in [
            "text/html",
            "image/svg+xml",
            "application/xhtml+xml",
            "",
            "application/pdf2",
        ] {
            assert_eq!(printable_type(refused), None, "{refused}");
        }
    }
}
