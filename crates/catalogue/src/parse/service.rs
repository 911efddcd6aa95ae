//! Reading `[[service]]` entries, one section at a time: identity, texts, classification,
//! practical information; channels and eligibility are in [`super::channels`].

use super::Locations;
use super::channels::{read_channels, read_eligibility};
use super::member::{is_slug, slugify};
use super::reader::{At, TableReader};
use crate::diagnostic::{FieldPath, Location, Owner};
use crate::labels::{Category, LifeEvent};
use crate::limits;
use crate::model::Service;
use crate::values::markdown::{self, Block};
use crate::values::{Money, ProcessingTime, Text};

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
    let id = read_id(&t);
    if let Some(id) = &id {
        t.set_path(FieldPath::new(Owner::Service(id.value.clone()), ""));
    }
    let member = id.as_ref().and_then(|at| member_of(&t, at, scope));
    let texts = read_texts(&t);
    let (category, life_events, keywords) = read_classification(&t);
    let channels = t.table("channels").and_then(read_channels);
    if !t.has("channels") {
        t.missing(
            "channels",
            "add at least one of `[service.channels.online]`, `.counter`, `.phone`, `.mail`",
        );
    }
    let practical = read_practical(&t);
    let service_id = id.as_ref().map(|i| i.value.as_str());
    let eligibility = t
        .table("eligibility")
        .map(|e| read_eligibility(e, locations, service_id));
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
        title: texts.title?,
        summary: texts.summary?,
        description: texts.description,
        description_blocks: texts.description_blocks,
        category: category?,
        life_events,
        keywords,
        channels: channels?,
        cost: practical.cost,
        cost_note: practical.cost_note,
        processing_time: practical.processing_time,
        evidence: practical.evidence,
        output: practical.output,
        eligibility,
        more_info,
    })
}

/// `member-id/slug`.
fn read_id(t: &TableReader<'_, '_, '_>) -> Option<At<String>> {
    let at = t.non_empty(
        "id",
        true,
        limits::SERVICE_ID,
        "write `member-id/slug`, e.g. `gien/acte-naissance`",
    )?;
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
}

/// The member a service id names, when the scope allows it.
fn member_of(t: &TableReader<'_, '_, '_>, at: &At<String>, scope: &Scope<'_>) -> Option<String> {
    let member = at.value.split_once('/').map(|(m, _)| m.to_owned())?;
    match scope {
        Scope::Root(members) if !members.contains(&member) => {
            let closest = members
                .iter()
                .min_by_key(|m| strsim::levenshtein(m, &member));
            let hint = match closest {
                Some(m) => format!(
                    "declare a `[[member]]` with `id = \"{member}\"`, or did you mean `{m}`?"
                ),
                None => format!("declare a `[[member]]` with `id = \"{member}\"`"),
            };
            t.error_at(
                "id",
                at.span.clone(),
                format!("member `{member}` is not declared"),
                hint,
            );
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
}

struct Texts {
    title: Option<Text>,
    summary: Option<Text>,
    description: Option<Text>,
    description_blocks: Vec<Block>,
}

/// Title, summary and description; the description's links are checked in every language.
fn read_texts(t: &TableReader<'_, '_, '_>) -> Texts {
    let title = t.text(
        "title",
        true,
        limits::TITLE,
        "a short title citizens recognise, e.g. `Demande d'acte de naissance`",
    );
    let summary = t.text(
        "summary",
        true,
        limits::SUMMARY,
        "one or two sentences saying what the service is for",
    );
    let description = t.text(
        "description",
        false,
        limits::DESCRIPTION,
        "plain text or the small Markdown subset (see docs/catalogue.md)",
    );
    let description_blocks = description.as_ref().map_or_else(Vec::new, |d| {
        let (blocks, mut refused) = markdown::parse_checked(&d.value.fr, t.ctx.policy);
        for other in d.value.others.values() {
            refused.extend(markdown::refused_links(other, t.ctx.policy));
        }
        for link in refused {
            t.error_at("description", d.span.clone(), link.message, link.hint);
        }
        blocks
    });
    Texts {
        title: title.map(|a| a.value),
        summary: summary.map(|a| a.value),
        description: description.map(|a| a.value),
        description_blocks,
    }
}

/// Category, life events and keywords.
fn read_classification(
    t: &TableReader<'_, '_, '_>,
) -> (Option<Category>, Vec<LifeEvent>, Vec<String>) {
    let categories = Category::ids().join("`, `");
    let category = t
        .str(
            "category",
            true,
            limits::CLOSED_LIST_ID,
            &format!("one of `{categories}`"),
        )
        .and_then(|at| {
            Category::from_id(&at.value).or_else(|| {
                let hint = closest(&at.value, &Category::ids()).map_or_else(
                    || format!("write one of `{categories}`"),
                    |c| format!("did you mean `{c}`? (one of `{categories}`)"),
                );
                let message = format!("`{}` is not a known category", at.value);
                t.error_at("category", at.span, message, hint);
                None
            })
        });
    let events = LifeEvent::ids().join("`, `");
    let life_events = t
        .str_list(
            "life_events",
            limits::LIFE_EVENTS,
            &format!("ids among `{events}`"),
        )
        .into_iter()
        .filter_map(|at| {
            LifeEvent::from_id(&at.value).or_else(|| {
                let hint = closest(&at.value, &LifeEvent::ids()).map_or_else(
                    || format!("use ids among `{events}`"),
                    |c| format!("did you mean `{c}`?"),
                );
                let message = format!("`{}` is not a known life event", at.value);
                t.error_at("life_events", at.span, message, hint);
                None
            })
        })
        .collect();
    let keywords = t
        .str_list(
            "keywords",
            limits::KEYWORDS,
            "a list of words citizens might type",
        )
        .into_iter()
        .map(|k| k.value)
        .collect();
    (category, life_events, keywords)
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

struct Practical {
    cost: Option<Money>,
    cost_note: Option<String>,
    processing_time: Option<ProcessingTime>,
    evidence: Vec<String>,
    output: Option<String>,
}

/// Cost, processing time, documents to prepare, what the citizen gets.
fn read_practical(t: &TableReader<'_, '_, '_>) -> Practical {
    let cost = t
        .str(
            "cost",
            false,
            limits::SHORT_VALUE,
            "`Gratuit` or an amount such as `25 €`",
        )
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
    let cost_note = t.optional(
        "cost_note",
        limits::NOTE,
        "e.g. `Gratuit pour les moins de 18 ans`",
    );
    let processing_time = t
        .str(
            "processing_time",
            false,
            limits::SHORT_VALUE,
            "an ISO 8601 duration such as `P15D`",
        )
        .and_then(|at| match ProcessingTime::parse(&at.value) {
            Ok(d) => Some(d),
            Err(e) => {
                let message = format!("`{}` is not an ISO 8601 duration", at.value);
                t.error_at("processing_time", at.span, message, e.hint);
                None
            }
        });
    let evidence = t
        .str_list(
            "evidence",
            limits::EVIDENCE,
            "a list of documents to prepare",
        )
        .into_iter()
        .map(|e| e.value)
        .collect();
    let output = t.optional(
        "output",
        limits::NOTE,
        "what the citizen gets, e.g. `Copie intégrale d'acte`",
    );
    Practical {
        cost,
        cost_note,
        processing_time,
        evidence,
        output,
    }
}
