//! E-mail addresses, which the portal turns into `mailto:` links.
//!
//! A `mailto:` link can carry much more than an address: `?bcc=` adds a hidden recipient,
//! `?subject=` and `?body=` pre-fill a message, `,` adds recipients. A catalogue address is
//! therefore one plain address — the portal builds the link itself — made of the characters
//! public bodies' addresses actually use, none of which means anything in a URI.

/// Why an address is refused; the `Display` is the message, [`EmailError::hint`] the fix.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("`{0}` is written as a `mailto:` link")]
    Mailto(String),
    #[error(
        "`{0}` adds `?…` to the address (mail headers such as `bcc`, `cc`, `subject` or `body`)"
    )]
    Headers(String),
    #[error("`{0}` holds more than one address")]
    Several(String),
    #[error("`{0}` is not an e-mail address")]
    Invalid(String),
}

impl EmailError {
    pub fn hint(&self) -> &'static str {
        match self {
            EmailError::Mailto(_) => {
                "write the address alone, e.g. `accueil@gien.fr`: the portal makes the link"
            }
            EmailError::Headers(_) => {
                "write the address alone: a link must never add recipients or pre-fill a message"
            }
            EmailError::Several(_) => "give one address",
            EmailError::Invalid(_) => "write it as `name@example.fr`",
        }
    }
}

fn local_part_ok(local: &str) -> bool {
    !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '+' | '\''))
}

fn domain_ok(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.last().is_some_and(|tld| tld.chars().count() >= 2)
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// Checks that `text` is one plain e-mail address.
pub fn check_email(text: &str) -> Result<(), EmailError> {
    let owned = || text.to_owned();
    if text.to_ascii_lowercase().starts_with("mailto:") {
        return Err(EmailError::Mailto(owned()));
    }
    if text.contains('?') || text.contains('&') {
        return Err(EmailError::Headers(owned()));
    }
    if text.contains([',', ';']) || text.matches('@').count() > 1 {
        return Err(EmailError::Several(owned()));
    }
    match text.split_once('@') {
        Some((local, domain)) if local_part_ok(local) && domain_ok(domain) => Ok(()),
        _ => Err(EmailError::Invalid(owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_addresses_public_bodies_use() {
        for ok in [
            "etat-civil@gien.fr",
            "accueil.mairie@ville-deauville.fr",
            "franceservices+gien@giennois.example.fr",
            "o'brien@mairie.fr",
            "contact@mairie-évreux.fr",
        ] {
            assert_eq!(check_email(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn refuses_mailto_links_headers_and_several_recipients() {
        let cases = [
            (
                "mailto:accueil@gien.fr",
                EmailError::Mailto("mailto:accueil@gien.fr".into()),
            ),
            (
                "accueil@gien.fr?bcc=x@evil.fr",
                EmailError::Headers("accueil@gien.fr?bcc=x@evil.fr".into()),
            ),
            (
                "accueil@gien.fr?subject=Urgent",
                EmailError::Headers("accueil@gien.fr?subject=Urgent".into()),
            ),
            (
                "a@gien.fr&body=x",
                EmailError::Headers("a@gien.fr&body=x".into()),
            ),
            (
                "a@gien.fr,b@evil.fr",
                EmailError::Several("a@gien.fr,b@evil.fr".into()),
            ),
            (
                "a@gien.fr;b@evil.fr",
                EmailError::Several("a@gien.fr;b@evil.fr".into()),
            ),
            ("a@@gien.fr", EmailError::Several("a@@gien.fr".into())),
        ];
        for (text, expected) in cases {
            assert_eq!(check_email(text), Err(expected), "{text}");
        }
    }

    #[test]
    fn refuses_what_is_not_an_address() {
        for bad in [
            "gien.fr",
            "a@b",
            "a b@c.fr",
            "@gien.fr",
            "a@gien..fr",
            "a%40b@gien.fr",
            "a@gien.fr/x",
            "<a@gien.fr>",
            ".a@gien.fr",
            "a@-gien.fr",
        ] {
            assert!(
                matches!(check_email(bad), Err(EmailError::Invalid(_))),
                "{bad}: {:?}",
                check_email(bad)
            );
        }
    }
}
