//! Reading `[[service]]` entries.

use super::Locations;
use super::member::{is_slug, slugify};
use super::reader::TableReader;
use crate::diagnostic::{FieldPath, Location, Owner};
use crate::labels::{Category, LifeEvent};
use crate::model::{Channels, Counter, Eligibility, Mail, Online, PhoneChannel, Service};
use crate::values::markdown;
use crate::values::{Money, Phone, ProcessingTime};

pub const TITLE_MAX: usize = 120;
pub const SUMMARY_MAX: usize = 300;
pub const DESCRIPTION_MAX: usize = 5000;

/// Where a service is read from, which decides which member prefixes its id may have.
pub enum Scope<'m> {
    /// The root file: any declared member.
    Root(&'m [String]),
    /// A member's fragment: only that member.
    Fragment(&'m str),
}

pub fn read_service(
    mut t: TableReader<'_, '_, '_>,
    scope: &Scope<'_>,
    locations: &mut Locations,
) -> Option<Service> {
    let id = t.non_empty(
        "id",
        true,
        "write `member-id/slug`, e.g. `gien/acte-naissance`",
    );
    let id = id.and_then(|at| {
        let Some((member, slug)) = at.value.split_once('/') else {
            t.error_at(
                "id",
                at.span,
                format!("`{}` does not name its member", at.value),
                format!("write `member-id/{}`", slugify(&at.value)),
            );
            return None;
        };
        if !is_slug(member) || !is_slug(slug) {
            t.error_at(
                "id",
                at.span,
                format!("`{}` is not a valid id", at.value),
                format!(
                    "use lowercase letters, digits and hyphens: `{}/{}`",
                    slugify(member),
                    slugify(slug)
                ),
            );
            return None;
        }
        Some(at)
    });
    if let Some(id) = &id {
        t.set_path(FieldPath::new(Owner::Service(id.value.clone()), ""));
    }
    let member = id.as_ref().and_then(|at| {
        let member = at.value.split_once('/').map(|(m, _)| m.to_owned())?;
        match scope {
            Scope::Root(members) if !members.contains(&member) => {
                let closest = members.iter().min_by_key(|m| strsim::levenshtein(m, &member));
                let hint = match closest {
                    Some(m) => format!("declare a `[[member]]` with `id = \"{member}\"`, or did you mean `{m}`?"),
                    None => format!("declare a `[[member]]` with `id = \"{member}\"`"),
                };
                t.error_at("id", at.span.clone(), format!("member `{member}` is not declared"), hint);
                None
            }
            Scope::Fragment(owner) if *owner != member => {
                t.error_at(
                    "id",
                    at.span.clone(),
                    format!("this fragment belongs to member `{owner}` and cannot declare a service of member `{member}`"),
                    format!("move it to `{member}`'s own catalogue, or rename it `{owner}/…`"),
                );
                None
            }
            _ => Some(member),
        }
    });
    let title = t.text(
        "title",
        true,
        TITLE_MAX,
        "a short title citizens recognise, e.g. `Demande d'acte de naissance`",
    );
    let summary = t.text(
        "summary",
        true,
        SUMMARY_MAX,
        "one or two sentences saying what the service is for",
    );
    let description = t.text(
        "description",
        false,
        DESCRIPTION_MAX,
        "plain text or the small Markdown subset (see docs/catalogue.md)",
    );
    let description_blocks = description.as_ref().map(|d| {
        for (target, reason) in markdown::rejected_links(&d.value.fr, t.ctx.policy) {
            t.error_at(
                "description",
                d.span.clone(),
                format!("link `{target}` is not allowed"),
                reason,
            );
        }
        markdown::parse(&d.value.fr, t.ctx.policy)
    });
    let categories = Category::ids().join("`, `");
    let category = t
        .str("category", true, &format!("one of `{categories}`"))
        .and_then(|at| {
            Category::from_id(&at.value).or_else(|| {
                let hint = closest(&at.value, &Category::ids()).map_or_else(
                    || format!("write one of `{categories}`"),
                    |c| format!("did you mean `{c}`? (one of `{categories}`)"),
                );
                t.error_at(
                    "category",
                    at.span,
                    format!("`{}` is not a known category", at.value),
                    hint,
                );
                None
            })
        });
    let events = LifeEvent::ids().join("`, `");
    let life_events = t
        .str_list("life_events", &format!("ids among `{events}`"))
        .into_iter()
        .filter_map(|at| {
            LifeEvent::from_id(&at.value).or_else(|| {
                let hint = closest(&at.value, &LifeEvent::ids()).map_or_else(
                    || format!("use ids among `{events}`"),
                    |c| format!("did you mean `{c}`?"),
                );
                t.error_at(
                    "life_events",
                    at.span,
                    format!("`{}` is not a known life event", at.value),
                    hint,
                );
                None
            })
        })
        .collect();
    let keywords = t
        .str_list("keywords", "a list of words citizens might type")
        .into_iter()
        .map(|k| k.value)
        .collect();
    let channels = t.table("channels").map(read_channels);
    if channels.is_none() && !t.has("channels") {
        t.missing(
            "channels",
            "add at least one of `[service.channels.online]`, `.counter`, `.phone`, `.mail`",
        );
    }
    let channels = channels.and_then(|c| {
        if c.is_empty() {
            t.error_at(
                "channels",
                t.span.clone(),
                "no channel is given",
                "add at least one of `online`, `counter`, `phone`, `mail`",
            );
            None
        } else {
            Some(c)
        }
    });
    let cost = t
        .str("cost", false, "`Gratuit` or an amount such as `25 €`")
        .and_then(|at| match Money::parse(&at.value) {
            Ok(m) => Some(m),
            Err(hint) => {
                t.error_at(
                    "cost",
                    at.span,
                    format!("`{}` is not an amount", at.value),
                    hint,
                );
                None
            }
        });
    let cost_note = t
        .non_empty(
            "cost_note",
            false,
            "e.g. `Gratuit pour les moins de 18 ans`",
        )
        .map(|a| a.value);
    let processing_time = t
        .str(
            "processing_time",
            false,
            "an ISO 8601 duration such as `P15D`",
        )
        .and_then(|at| match ProcessingTime::parse(&at.value) {
            Ok(d) => Some(d),
            Err(e) => {
                t.error_at(
                    "processing_time",
                    at.span,
                    format!("`{}` is not an ISO 8601 duration", at.value),
                    e.hint,
                );
                None
            }
        });
    let evidence = t
        .str_list("evidence", "a list of documents to prepare")
        .into_iter()
        .map(|e| e.value)
        .collect();
    let output = t
        .non_empty(
            "output",
            false,
            "what the citizen gets, e.g. `Copie intégrale d'acte`",
        )
        .map(|a| a.value);
    let eligibility = t
        .table("eligibility")
        .map(|e| read_eligibility(e, locations, id.as_ref().map(|i| i.value.as_str())));
    let more_info = t.url("more_info", false).map(|u| u.value);
    let ctx = t.ctx;
    t.finish();
    let id = id?;
    locations.insert(
        format!("service:{}", id.value),
        Location::of(&ctx.source, &id.span),
    );
    Some(Service {
        id: id.value,
        member: member?,
        title: title?.value,
        summary: summary?.value,
        description: description.map(|d| d.value),
        description_blocks: description_blocks.unwrap_or_default(),
        category: category?,
        life_events,
        keywords,
        channels: channels?,
        cost,
        cost_note,
        processing_time,
        evidence,
        output,
        eligibility,
        more_info,
    })
}

fn closest<'a>(wrong: &str, known: &[&'a str]) -> Option<&'a str> {
    let folded = crate::normalize::fold(wrong);
    known
        .iter()
        .map(|k| (strsim::levenshtein(k, &folded), *k))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, k)| k)
}

fn read_channels(t: TableReader<'_, '_, '_>) -> Channels {
    let online = t.table("online").and_then(|o| {
        let form = o
            .non_empty(
                "form",
                true,
                "the form id on the member's provider API, e.g. `acte-naissance`",
            )
            .and_then(|at| {
                if is_slug(&at.value) {
                    Some(at.value)
                } else {
                    o.error_at(
                        "form",
                        at.span,
                        format!("`{}` is not a valid form id", at.value),
                        format!("use `{}`", slugify(&at.value)),
                    );
                    None
                }
            });
        o.finish();
        Some(Online { form: form? })
    });
    let counter = t.table("counter").map(|c| {
        let counter = Counter {
            address: c
                .non_empty("address", false, "where, if not the member's main address")
                .map(|a| a.value),
            hours: c
                .str_list("hours", "one line per period")
                .into_iter()
                .map(|h| h.value)
                .collect(),
            appointment: c.bool("appointment").unwrap_or(false),
            note: c
                .non_empty("note", false, "anything to know before coming")
                .map(|a| a.value),
        };
        c.finish();
        counter
    });
    let phone = t.table("phone").and_then(|p| {
        let number =
            p.str("number", true, "a phone number")
                .and_then(|at| match Phone::parse(&at.value) {
                    Ok(n) => Some(n),
                    Err(hint) => {
                        p.error_at(
                            "number",
                            at.span,
                            format!("`{}` is not a phone number", at.value),
                            hint,
                        );
                        None
                    }
                });
        let hours = p
            .str_list("hours", "one line per period")
            .into_iter()
            .map(|h| h.value)
            .collect();
        p.finish();
        Some(PhoneChannel {
            number: number?,
            hours,
        })
    });
    let mail = t.table("mail").and_then(|m| {
        let address = m
            .non_empty("address", true, "a postal address, or an e-mail address")
            .map(|a| a.value);
        m.finish();
        Some(Mail { address: address? })
    });
    t.finish();
    Channels {
        online,
        counter,
        phone,
        mail,
    }
}

fn read_eligibility(
    t: TableReader<'_, '_, '_>,
    locations: &mut Locations,
    service: Option<&str>,
) -> Eligibility {
    let communes = t
        .str_list(
            "communes",
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
            "who may use it, e.g. `Personnes de 60 ans et plus`",
        )
        .map(|a| a.value);
    t.finish();
    Eligibility { communes, note }
}
