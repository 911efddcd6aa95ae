//! Tell-us-once: which fields a citizen's profile can fill, and with what.

use crate::auth::profile::Profile;
use contract::answers::PostalAddress;
use contract::form::FieldKind;
use contract::{Answer, FormSchema};

/// A field the profile can fill.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prefill {
    pub field_id: String,
    pub label: String,
    pub claim: String,
    pub value: Answer,
}

/// What the profile can pre-fill in `schema`, in form order.
pub fn prefills(schema: &FormSchema, profile: &Profile) -> Vec<Prefill> {
    schema
        .fields()
        .filter_map(|field| {
            let claim = field.prefill.as_deref()?;
            let value = match (field.kind, claim) {
                (FieldKind::Address, "address") => {
                    let street = profile.claim("address.street_address")?;
                    Answer::Address(PostalAddress {
                        street,
                        postal_code: profile.claim("address.postal_code").unwrap_or_default(),
                        city: profile.claim("address.locality").unwrap_or_default(),
                    })
                }
                (FieldKind::Address | FieldKind::File | FieldKind::MultiChoice, _) => return None,
                (_, claim) => Answer::Text(profile.claim(claim)?),
            };
            Some(Prefill {
                field_id: field.id.clone(),
                label: field.label.clone(),
                claim: claim.to_owned(),
                value,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn profile() -> Profile {
        let serde_json::Value::Object(claims) = json!({
            "given_name": "Camille", "family_name": "Martin", "birthdate": "1988-04-12",
            "email": "camille.martin@example.fr",
            "address": {"street_address": "12 rue Louis Blanc", "postal_code": "45500", "locality": "Gien"}
        }) else {
            unreachable!()
        };
        Profile::from_claims(claims)
    }

    fn schema() -> FormSchema {
        serde_json::from_str(include_str!("../../demo/forms/acte-naissance.json")).unwrap()
    }

    #[test]
    fn fills_what_the_profile_knows_and_nothing_else() {
        let found = prefills(&schema(), &profile());
        let ids: Vec<&str> = found.iter().map(|p| p.field_id.as_str()).collect();
        // No phone number in this profile: `telephone` is not pre-filled.
        assert_eq!(
            ids,
            ["prenom", "nom", "date_naissance", "adresse", "courriel"]
        );
        assert_eq!(found[0].value, Answer::Text("Camille".into()));
        assert_eq!(
            found[3].value,
            Answer::Address(PostalAddress {
                street: "12 rue Louis Blanc".into(),
                postal_code: "45500".into(),
                city: "Gien".into()
            })
        );
    }

    #[test]
    fn an_empty_profile_fills_nothing() {
        assert!(prefills(&schema(), &Profile::default()).is_empty());
    }
}
