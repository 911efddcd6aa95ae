//! A link's text must not name another site than the one it opens.
//!
//! `[impots.gouv.fr](https://impots-gouv.example)` is a working https link that displays one
//! trusted domain and opens another — the classic phishing link. A description's links therefore
//! either say in words where they lead (`[le site des impôts](…)`), or name the very host they
//! open: a word of the text that looks like a URL, a domain name or an e-mail address must be the
//! link's host, the host without `www.`, or a parent domain of it (`[service-public.fr]` may open
//! `https://www.service-public.fr/…`, `[gien.fr]` may open `https://teleservices.gien.fr`).
//!
//! A word looks like a domain when it is made of dot-separated labels of letters, digits and
//! hyphens ending with an alphabetic top-level domain of two letters or more (`gien.fr`,
//! `Impots.Gouv.FR`); anything written with a scheme (`https://…`) counts whatever its host.

use super::url::SafeUrl;

const SURROUNDING: &[char] = &[
    '(', ')', '[', ']', '{', '}', '<', '>', '«', '»', '"', '\'', '“', '”', '‘', '’', ',', ';', '!',
    '?', ':', '.', '*', '_',
];

/// The host a word names, if it looks like a URL, a domain or an e-mail address.
fn named_host(word: &str) -> Option<String> {
    let word = word.trim_matches(SURROUNDING).to_lowercase();
    let (had_scheme, rest) = match word.split_once("://") {
        Some((_, rest)) => (true, rest),
        None => (false, word.as_str()),
    };
    let rest = rest.rsplit_once('@').map_or(rest, |(_, domain)| domain);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => host,
    };
    let host = host.trim_end_matches('.');
    if host.is_empty() {
        return None;
    }
    if had_scheme {
        return Some(host.to_owned());
    }
    let labels: Vec<&str> = host.split('.').collect();
    let domain_like = labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
        && labels
            .last()
            .is_some_and(|tld| tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic));
    domain_like.then(|| host.to_owned())
}

/// Whether a host named in a link's text is the link's own host (or a parent of it).
fn matches(named: &str, target: &str) -> bool {
    let named = named.strip_prefix("www.").unwrap_or(named);
    let bare_target = target.strip_prefix("www.").unwrap_or(target);
    bare_target == named || target.ends_with(&format!(".{named}"))
}

/// The first host named by `text` that `url` does not open, if any.
pub fn hidden_host(text: &str, url: &SafeUrl) -> Option<String> {
    let target = url.host();
    text.split_whitespace()
        .filter_map(named_host)
        .find(|named| !matches(named, &target))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::UrlPolicy;

    fn url(text: &str) -> SafeUrl {
        SafeUrl::parse(text, UrlPolicy::Production).unwrap()
    }

    #[test]
    fn words_say_nothing_about_hosts() {
        let target = url("https://phish.example/x");
        for text in [
            "le site des impôts",
            "Voir la notice",
            "M. Dupont",
            "art. L.2122-22",
            "5.5 %",
            "Cerfa n° 12669*02",
        ] {
            assert_eq!(hidden_host(text, &target), None, "{text}");
        }
    }

    #[test]
    fn a_text_naming_another_domain_hides_the_real_host() {
        let target = url("https://impots-gouv.example/connexion");
        for (text, named) in [
            ("impots.gouv.fr", "impots.gouv.fr"),
            ("Impots.Gouv.FR", "impots.gouv.fr"),
            ("https://www.impots.gouv.fr/portail", "www.impots.gouv.fr"),
            ("Rendez-vous sur impots.gouv.fr.", "impots.gouv.fr"),
            ("(www.ameli.fr)", "www.ameli.fr"),
            ("contact@gien.fr", "gien.fr"),
            ("http://127.0.0.1:8101", "127.0.0.1"),
        ] {
            assert_eq!(hidden_host(text, &target), Some(named.to_owned()), "{text}");
        }
    }

    #[test]
    fn a_text_naming_the_link_s_own_host_or_a_parent_is_honest() {
        for (text, target) in [
            (
                "service-public.fr",
                "https://www.service-public.fr/particuliers/vosdroits/F1427",
            ),
            ("www.gien.fr", "https://gien.fr"),
            ("gien.fr", "https://teleservices.gien.fr/x"),
            ("https://www.gien.fr/demarches", "https://www.gien.fr/autre"),
            ("le site gien.fr", "https://WWW.GIEN.FR"),
        ] {
            assert_eq!(hidden_host(text, &url(target)), None, "{text} → {target}");
        }
    }

    #[test]
    fn a_parent_does_not_vouch_for_a_look_alike() {
        assert_eq!(
            hidden_host("gien.fr", &url("https://gien.fr.evil.example")),
            Some("gien.fr".into())
        );
        assert_eq!(
            hidden_host("teleservices.gien.fr", &url("https://gien.fr")),
            Some("teleservices.gien.fr".into())
        );
        assert_eq!(
            hidden_host("xgien.fr", &url("https://gien.fr")),
            Some("xgien.fr".into())
        );
    }
}
