//! Reading a service's `[service.channels.*]` and `[service.eligibility]`.

use super::Locations;
use super::contact::{hours, phone};
use super::member::{is_slug, slugify};
use super::reader::TableReader;
use crate::diagnostic::Location;
use crate::limits;
use crate::model::{Channels, Counter, Eligibility, Mail, Online, PhoneChannel};

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
    let channels = Channels {
        online: t.table("online").and_then(read_online),
        counter: t.table("counter").map(read_counter),
        phone: t.table("phone").and_then(read_phone_channel),
        mail: t.table("mail").and_then(read_mail),
    };
    t.finish();
    (!channels.is_empty()).then_some(channels)
}

fn read_online(o: TableReader<'_, '_, '_>) -> Option<Online> {
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
            let hint = format!("use `{}`", slugify(&at.value));
            o.error_at("form", at.span, message, hint);
            None
        });
    o.finish();
    Some(Online { form: form? })
}

fn read_counter(c: TableReader<'_, '_, '_>) -> Counter {
    let counter = Counter {
        address: c.optional(
            "address",
            limits::ADDRESS,
            "where, if not the member's main address",
        ),
        hours: hours(&c, "one line per period"),
        appointment: c.bool("appointment").unwrap_or(false),
        note: c.optional(
            "note",
            limits::COUNTER_NOTE,
            "anything to know before coming",
        ),
    };
    c.finish();
    counter
}

fn read_phone_channel(p: TableReader<'_, '_, '_>) -> Option<PhoneChannel> {
    let number = phone(&p, "number", true, limits::PHONE);
    let hours = hours(&p, "one line per period");
    p.finish();
    Some(PhoneChannel {
        number: number?,
        hours,
    })
}

fn read_mail(m: TableReader<'_, '_, '_>) -> Option<Mail> {
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
    let note = t.optional(
        "note",
        limits::NOTE,
        "who may use it, e.g. `Personnes de 60 ans et plus`",
    );
    t.finish();
    Eligibility { communes, note }
}
