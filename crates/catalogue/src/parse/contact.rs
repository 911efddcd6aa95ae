//! Reading contacts — `[member.contact]` and `[[member.help_desk]]` — and the values they share
//! with services' channels: phone numbers, e-mail addresses, opening hours.

use super::member::is_slug;
use super::reader::TableReader;
use crate::limits::{self, TextLimit};
use crate::model::{Contact, HelpDesk};
use crate::values::{Phone, check_email};

/// `hours`: one line per period.
pub fn hours(t: &TableReader<'_, '_, '_>, hint: &str) -> Vec<String> {
    t.str_list("hours", limits::HOURS, hint)
        .into_iter()
        .map(|h| h.value)
        .collect()
}

/// A phone number a citizen may be told to call (see [`crate::values::phone`]).
pub fn phone(
    t: &TableReader<'_, '_, '_>,
    key: &'static str,
    required: bool,
    limit: TextLimit,
) -> Option<Phone> {
    let at = t.str(key, required, limit, "a phone number")?;
    Phone::parse(&at.value)
        .map_err(|e| t.error_at(key, at.span, e.to_string(), e.hint()))
        .ok()
}

/// One plain e-mail address (see [`crate::values::email`]).
pub fn email(t: &TableReader<'_, '_, '_>, key: &'static str) -> Option<String> {
    let at = t.str(key, false, limits::EMAIL, "an e-mail address")?;
    match check_email(&at.value) {
        Ok(()) => Some(at.value),
        Err(e) => {
            t.error_at(key, at.span, e.to_string(), e.hint());
            None
        }
    }
}

pub fn read_contact(t: TableReader<'_, '_, '_>) -> Contact {
    let contact = read_contact_fields(&t);
    t.finish();
    contact
}

fn read_contact_fields(t: &TableReader<'_, '_, '_>) -> Contact {
    let address = t.optional("address", limits::ADDRESS, "a postal address on one line");
    Contact {
        address,
        phone: phone(t, "phone", false, limits::PHONE),
        email: email(t, "email"),
        hours: hours(
            t,
            "one line per period, e.g. `\"Lundi au vendredi : 8 h 30 – 12 h\"`",
        ),
    }
}

pub fn read_help_desk(t: TableReader<'_, '_, '_>) -> Option<HelpDesk> {
    let id = t
        .non_empty("id", true, limits::ID, "a short id such as `fs-gien`")
        .and_then(|at| {
            if is_slug(&at.value) {
                Some(at.value)
            } else {
                t.error_at(
                    "id",
                    at.span,
                    format!("`{}` is not a valid id", at.value),
                    "use lowercase letters, digits and hyphens",
                );
                None
            }
        });
    let name = t.non_empty("name", true, limits::NAME, "e.g. `France services de Gien`");
    let france_services = t.bool("france_services").unwrap_or(false);
    let contact = read_contact_fields(&t);
    t.finish();
    Some(HelpDesk {
        id: id?,
        name: name?.value,
        france_services,
        contact,
    })
}
