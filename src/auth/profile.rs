//! What the identity provider told us about the citizen (OIDC standard claims), read-only.
//!
//! Forms name a claim to pre-fill a field (`given_name`, `address.postal_code`…); this is where
//! those names are resolved. Nothing here is stored: the profile lives in the in-memory session.

use serde_json::{Map, Value};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Profile {
    claims: Map<String, Value>,
}

/// The claims shown on the account page, in this order. `sub` and technical claims are left out.
pub const SHOWN_CLAIMS: &[&str] = &[
    "given_name",
    "family_name",
    "birthdate",
    "email",
    "phone_number",
    "address.street_address",
    "address.postal_code",
    "address.locality",
];

impl Profile {
    pub fn from_claims(claims: Map<String, Value>) -> Self {
        Profile { claims }
    }

    /// A claim by name; `address.x` reads inside the structured `address` claim.
    pub fn claim(&self, name: &str) -> Option<String> {
        let mut value = None;
        for (i, part) in name.split('.').enumerate() {
            value = if i == 0 {
                self.claims.get(part)
            } else {
                value.and_then(|v: &Value| v.get(part))
            };
        }
        match value? {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// "Camille Martin", or the e-mail address, for the header.
    pub fn display_name(&self) -> Option<String> {
        match (self.claim("given_name"), self.claim("family_name")) {
            (Some(g), Some(f)) => Some(format!("{g} {f}")),
            (Some(one), None) | (None, Some(one)) => Some(one),
            (None, None) => self.claim("email"),
        }
    }

    /// The claims this profile has, among those shown to the citizen, with their values.
    pub fn shown(&self) -> Vec<(&'static str, String)> {
        SHOWN_CLAIMS
            .iter()
            .filter_map(|name| self.claim(name).map(|v| (*name, v)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn camille() -> Profile {
        let Value::Object(claims) = json!({
            "sub": "demo-camille-martin",
            "given_name": "Camille",
            "family_name": "Martin",
            "birthdate": "1988-04-12",
            "email": "camille.martin@example.fr",
            "address": {"street_address": "12 rue Louis Blanc", "postal_code": "45500", "locality": "Gien"},
            "email_verified": true
        }) else {
            unreachable!()
        };
        Profile::from_claims(claims)
    }

    #[test]
    fn reads_plain_and_nested_claims() {
        let p = camille();
        assert_eq!(p.claim("given_name").as_deref(), Some("Camille"));
        assert_eq!(p.claim("address.postal_code").as_deref(), Some("45500"));
        assert_eq!(p.claim("address.country"), None);
        assert_eq!(p.claim("phone_number"), None);
    }

    #[test]
    fn display_name_prefers_the_full_name() {
        assert_eq!(camille().display_name().as_deref(), Some("Camille Martin"));
        assert_eq!(Profile::default().display_name(), None);
    }

    #[test]
    fn shows_only_known_claims_in_order() {
        let names: Vec<_> = camille().shown().into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            [
                "given_name",
                "family_name",
                "birthdate",
                "email",
                "address.street_address",
                "address.postal_code",
                "address.locality"
            ]
        );
    }
}
