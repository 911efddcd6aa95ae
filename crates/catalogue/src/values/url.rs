//! URLs a catalogue may contain, and the origins bearer tokens may be sent to.
//!
//! Only `https:` links are accepted — plus `http://localhost` and `http://127.0.0.1` when the
//! catalogue is checked in development mode — so a catalogue can never carry `javascript:`,
//! `data:` or plain-HTTP links to citizens. The origin of each member's API is what the SPA's token
//! confinement compares requests against, so it is normalised here once.

use std::fmt;

/// Which schemes are acceptable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum UrlPolicy {
    /// `https:` only.
    #[default]
    Production,
    /// Also `http://localhost` and `http://127.0.0.1` (any port), for demos and tests.
    Development,
}

/// An absolute URL that passed the policy.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SafeUrl(String);

/// The parts of an absolute http(s) URL this crate needs.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Parts<'a> {
    scheme: String,
    host: String,
    port: Option<u16>,
    rest: &'a str,
}

fn split(url: &str) -> Option<Parts<'_>> {
    let (scheme, after) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let (authority, rest) = after.split_at(end);
    if authority.is_empty() || authority.contains('@') || authority.contains(char::is_whitespace) {
        return None;
    }
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, Some(port_number(port)?)),
        None => (authority, None),
    };
    if !plain_host(host) {
        return None;
    }
    Some(Parts {
        scheme,
        host: host.to_ascii_lowercase(),
        port,
        rest,
    })
}

/// A port as browsers read it: decimal digits only (no sign, no space), at most 65535.
fn port_number(text: &str) -> Option<u16> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// A host this crate can compare the way browsers do: a DNS name of ASCII letters, digits and
/// hyphens in non-empty labels, or a dotted-quad IPv4 address written canonically. Anything a
/// browser would rewrite before connecting (`0x7f.1`, `2130706433`, `a..b`, percent-escapes, IPv6
/// literals, non-ASCII names) is refused rather than normalised by hand: the origin compared for
/// token confinement must be the one the browser really connects to (`tests/differential.rs`).
fn plain_host(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    let well_formed = labels.iter().all(|label| {
        !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    });
    if !well_formed {
        return false;
    }
    // WHATWG URL reads a host whose last label is a number as an IPv4 address.
    let last = labels.last().copied().unwrap_or_default();
    let numeric = last.bytes().all(|b| b.is_ascii_digit())
        || last.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("0x"));
    !numeric
        || labels.len() == 4
            && labels.iter().all(|label| {
                label.parse::<u8>().is_ok() && (label.len() == 1 || !label.starts_with('0'))
            })
}

impl SafeUrl {
    /// Checks `text` against `policy`; the error is the hint to show.
    pub fn parse(text: &str, policy: UrlPolicy) -> Result<SafeUrl, String> {
        let trimmed = text.trim();
        let lower = trimmed.to_ascii_lowercase();
        for forbidden in ["javascript:", "data:", "vbscript:", "file:"] {
            if lower.starts_with(forbidden) {
                return Err(format!(
                    "`{forbidden}` links are never allowed; use an `https://` address"
                ));
            }
        }
        if lower.starts_with("mailto:") {
            return Err(
                "an e-mail address goes in `contact.email`, which the portal shows with its link"
                    .to_owned(),
            );
        }
        if lower.starts_with("tel:") {
            return Err("a phone number goes in `contact.phone` or `[service.channels.phone]`, which the portal shows with its link".to_owned());
        }
        if let Some(bad) = super::chars::first_forbidden(trimmed, false) {
            return Err(format!(
                "remove {} from the address: it does not show",
                super::chars::name(bad.ch)
            ));
        }
        if trimmed.contains(char::is_whitespace) {
            return Err(
                "an address has no spaces; write `%20` where the address really has one".to_owned(),
            );
        }
        if trimmed.contains('\\') {
            return Err("write `/` instead of `\\`: browsers read a backslash as `/`, so the page opened would not be the address shown".to_owned());
        }
        let Some(parts) = split(trimmed) else {
            return Err("write an absolute address starting with `https://`".to_owned());
        };
        let local = parts.host == "localhost" || parts.host == "127.0.0.1";
        match (parts.scheme.as_str(), policy, local) {
            ("https", _, _) => Ok(SafeUrl(trimmed.to_owned())),
            ("http", UrlPolicy::Development, true) => Ok(SafeUrl(trimmed.to_owned())),
            ("http", UrlPolicy::Development, false) => Err(format!(
                "use `https://{}` (plain `http://` is only allowed for localhost and 127.0.0.1 in development)",
                parts.host
            )),
            _ => Err(
                "use `https://` (plain `http://` is only allowed with `--dev`, for localhost and 127.0.0.1)"
                    .to_owned(),
            ),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The host, lower-cased (`www.gien.fr`).
    pub fn host(&self) -> String {
        split(&self.0).map(|p| p.host).unwrap_or_default()
    }

    /// `scheme://host[:port]`, lower-cased, default port dropped.
    pub fn origin(&self) -> String {
        origin_of(&self.0).unwrap_or_default()
    }

    /// This URL with `path` appended (one slash between them).
    pub fn join_path(&self, path: &str) -> String {
        format!(
            "{}/{}",
            self.0.trim_end_matches('/'),
            path.trim_start_matches('/')
        )
    }
}

impl fmt::Display for SafeUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The normalised origin of any absolute http(s) URL, or `None`.
pub fn origin_of(url: &str) -> Option<String> {
    let parts = split(url.trim())?;
    let default_port = if parts.scheme == "https" { 443 } else { 80 };
    Some(match parts.port {
        Some(port) if port != default_port => format!("{}://{}:{port}", parts.scheme, parts.host),
        _ => format!("{}://{}", parts.scheme, parts.host),
    })
}

/// Resolves a fragment reference against the URL of the root catalogue: absolute URLs stay as
/// they are, `/path` is taken from the root's origin, `path` from the root's folder.
pub fn resolve(base: &str, reference: &str) -> String {
    let reference = reference.trim();
    if reference.contains("://") {
        return reference.to_owned();
    }
    if let Some(rest) = reference.strip_prefix('/') {
        return match origin_of(base) {
            Some(origin) => format!("{origin}/{rest}"),
            None => format!("/{rest}"),
        };
    }
    let base_path = base.split(['?', '#']).next().unwrap_or(base);
    match base_path.rfind('/') {
        Some(i) => format!("{}{reference}", &base_path[..=i]),
        None => reference.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_accepts_only_https() {
        assert!(SafeUrl::parse("https://www.gien.fr/", UrlPolicy::Production).is_ok());
        for bad in [
            "http://www.gien.fr",
            "http://127.0.0.1:8101",
            "ftp://x",
            "www.gien.fr",
            "https://",
            "https://a b",
        ] {
            assert!(SafeUrl::parse(bad, UrlPolicy::Production).is_err(), "{bad}");
        }
    }

    #[test]
    fn development_adds_local_http_only() {
        assert!(SafeUrl::parse("http://127.0.0.1:8101", UrlPolicy::Development).is_ok());
        assert!(SafeUrl::parse("http://localhost:8080/x", UrlPolicy::Development).is_ok());
        let err = SafeUrl::parse("http://gien.fr", UrlPolicy::Development).unwrap_err();
        assert!(err.contains("https://gien.fr"), "{err}");
    }

    #[test]
    fn script_and_data_links_are_never_allowed() {
        for bad in [
            "javascript:alert(1)",
            " JavaScript:x",
            "data:text/html,x",
            "vbscript:x",
        ] {
            let err = SafeUrl::parse(bad, UrlPolicy::Development).unwrap_err();
            assert!(err.contains("never allowed"), "{bad}: {err}");
        }
    }

    #[test]
    fn addresses_that_would_not_open_what_they_show_are_refused() {
        for (bad, why) in [
            ("https://www.gien.fr/\u{202E}fdp.exe", "U+202E"),
            ("https://www.gien.fr/a\u{200B}b", "U+200B"),
            ("https://www.gien.fr/\u{1B}[2J", "U+001B"),
            ("https://www.gien.fr/a b", "spaces"),
            ("https://www.gien.fr\\@evil.example/", "backslash"),
            ("https://www.gien.fr/a\\b", "backslash"),
            ("mailto:accueil@gien.fr?bcc=x@evil.fr", "contact.email"),
            ("tel:0892680000", "contact.phone"),
        ] {
            let err = SafeUrl::parse(bad, UrlPolicy::Production).unwrap_err();
            assert!(err.contains(why), "{bad}: {err}");
        }
    }

    #[test]
    fn hosts_are_lower_cased() {
        let url = SafeUrl::parse("https://WWW.Gien.fr:443/x", UrlPolicy::Production).unwrap();
        assert_eq!(url.host(), "www.gien.fr");
    }

    #[test]
    fn origins_are_normalised() {
        assert_eq!(
            origin_of("HTTPS://Api.Gien.fr:443/v1"),
            Some("https://api.gien.fr".into())
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8101/"),
            Some("http://127.0.0.1:8101".into())
        );
        assert_eq!(
            origin_of("http://127.0.0.1:80"),
            Some("http://127.0.0.1".into())
        );
        assert_eq!(origin_of("https://user@evil.example"), None);
        assert_eq!(origin_of("/relative"), None);
    }

    #[test]
    fn resolves_fragment_references_against_the_root() {
        let root = "http://127.0.0.1:8080/services.toml";
        assert_eq!(
            resolve(root, "catalogue/cc.toml"),
            "http://127.0.0.1:8080/catalogue/cc.toml"
        );
        assert_eq!(resolve(root, "/x/y.toml"), "http://127.0.0.1:8080/x/y.toml");
        assert_eq!(
            resolve(root, "https://cc.example/c.toml"),
            "https://cc.example/c.toml"
        );
        assert_eq!(
            resolve("/services.toml", "catalogue/cc.toml"),
            "/catalogue/cc.toml"
        );
        assert_eq!(
            resolve("services.toml", "catalogue/cc.toml"),
            "catalogue/cc.toml"
        );
    }
}
