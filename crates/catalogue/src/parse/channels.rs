//! Reading a service's `[service.channels.*]` and `[service.eligibility]`, and the phone numbers
//! and e-mail addresses shared with members' contacts.

use super::Locations;
use super::member::{is_slug, slugify};
use super::reader::TableReader;
use crate::diagnostic::Location;
use crate::limits::{self, TextLimit};
use crate::model::{Channels, Counter, Eligibility, Mail, Online, PhoneChannel};
use crate::values::{Phone, check_email};

/// The channels; `None` when there is none (reported when none was written; a written channel
/// that is refused has been reported already).
pub fn read_channels(t: TableReader<'_, '_, '_>) -> Option<Channels> {
    let written = ["online", "counter", "phone", "mail"]
        .into_iter()
        .any(|k| t.has(k));
    if !written {
        t.ctx.report(
            t.span.clone(),
            t.path.clone(),
            "no channel is given",
            "add at least one of `online`, `counter`, `phone`, `mail`",
        );
    }
    let online = t.table("online").and_then(|o| {
        let form = o
            .non_empty(
                "form",
                true,
                limits::ID,
                "the form id on the member's provider API, e.g. `acte-naissance`",
            )
            .and_then(|at| {
                if is_slug(&at.value) {
                    return Some(at.value);
                }
                let message = format!("`{}` is not a valid form id", at.value);
                o.error_at(
                    "form",
                    at.span,
                    message,
                    format!("use `{}`", slugify(&at.value)),
                );
                None
            });
        o.finish();
        Some(Online { form: form? })
    });
    let counter = t.table("counter").map(|c| {
        let counter = Counter {
            address: c
                .non_empty(
                    "address",
                    false,
                    limits::ADDRESS,
                    "where, if not the member's main address",
                )
                .map(|a| a.value),
            hours: hours(&c, "one line per period"),
            appointment: c.bool("appointment").unwrap_or(false),
            note: c
                .non_empty(
                    "note",
                    false,
                    limits::COUNTER_NOTE,
                    "anything to know before coming",
                )
                .map(|a| a.value),
        };
        c.finish();
        counter
    });
    let phone = t.table("phone").and_then(|p| {
        let number = phone(&p, "number", true, limits::PHONE);
        let hours = hours(&p, "one line per period");
        p.finish();
        Some(PhoneChannel {
            number: number?,
            hours,
        })
    });
    let mail = t.table("mail").and_then(|m| {
        let address = m
            .non_empty(
                "address",
                true,
                limits::MAIL_ADDRESS,
                "a postal address, or an e-mail address",
            )
            .map(|a| a.value);
        m.finish();
        Some(Mail { address: address? })
    });
    t.finish();
    let channels = Channels {
        online,
        counter,
        phone,
        mail,
    };
    (!channels.is_empty()).then_some(channels)
}

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

pub fn read_eligibility(
    t: TableReader<'_, '_, '_>,
    locations: &mut Locations,
    service: Option<&str>,
) -> Eligibility {
    let communes = t
        .str_list(
            "communes",
            limits::COMMUNE_CODES,
            "INSEE codes of the communes where the service applies",
        )
        .into_iter()
        .map(|at| {
            if let Some(service) = service {
                locations.insert(
                    format!("service:{service}:eligibility.communes:{}", at.value),
                    Location::of(&t.ctx.source, &at.span),
                );
            }
            at.value
        })
        .collect();
    let note = t
        .non_empty(
            "note",
            false,
            limits::NOTE,
            "who may use it, e.g. `Personnes de 60 ans et plus`",
        )
        .map(|a| a.value);
    t.finish();
    Eligibility { communes, note }
}
