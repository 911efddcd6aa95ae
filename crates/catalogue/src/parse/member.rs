//! Reading `[[member]]` entries and `[federation]`.

use super::Locations;
use super::contact::{read_contact, read_help_desk};
use super::reader::{At, TableReader};
use crate::diagnostic::{FieldPath, Location, Owner};
use crate::limits::{self, ListLimit};
use crate::model::{Federation, Identity, Member, MemberKind, TerritoryOverride};
use crate::values::{SafeUrl, check_fragment_reference};

/// `true` for ids made of lowercase letters, digits and inner hyphens.
pub fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

/// Suggests a slug for what someone wrote (`Ville de Gien` → `ville-de-gien`).
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in crate::normalize::fold(text).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

pub fn read_federation(t: TableReader<'_, '_, '_>) -> Option<Federation> {
    let name = t.text(
        "name",
        true,
        limits::NAME,
        "give the federation a name, e.g. `name = \"Guichet du Loiret\"`",
    );
    let demo = t.bool("demo").unwrap_or(false);
    let identity = t.table("identity").and_then(read_identity);
    t.finish();
    Some(Federation {
        name: name?.value,
        demo,
        identity,
    })
}

fn read_identity(t: TableReader<'_, '_, '_>) -> Option<Identity> {
    let issuer = t.url("issuer", true);
    let client_id = t.non_empty(
        "client_id",
        true,
        limits::IDENTITY_VALUE,
        "the client id registered for the portal at the issuer, e.g. `guichet-portal`",
    );
    // A shared audience made one token good at every member; each provider now accepts only
    // tokens for its own `api` URL (resource indicators, docs/identity.md).
    if let Some(old) = t.str("audience", false, limits::IDENTITY_VALUE, "") {
        t.error_at(
            "audience",
            old.span,
            "`audience` is no longer used",
            "remove this line: each provider accepts only tokens issued for its own `api` URL (see docs/identity.md)",
        );
    }
    t.finish();
    Some(Identity {
        issuer: issuer?.value,
        client_id: client_id?.value,
    })
}

/// Checks that `code` has the shape of an official code of that kind of member.
pub fn code_shape_hint(kind: MemberKind, code: &str) -> Option<&'static str> {
    let digits = |n: usize| code.len() == n && code.chars().all(|c| c.is_ascii_digit());
    let ok = match kind {
        MemberKind::Commune => {
            code.len() == 5
                && (code.chars().all(|c| c.is_ascii_digit())
                    || ((code.starts_with("2A") || code.starts_with("2B"))
                        && code[2..].chars().all(|c| c.is_ascii_digit())))
        }
        MemberKind::Epci => digits(9),
        MemberKind::Departement => digits(2) || digits(3) || code == "2A" || code == "2B",
        MemberKind::Region => digits(2) || digits(3),
    };
    (!ok).then_some(match kind {
        MemberKind::Commune => {
            "a commune's code is its 5-character INSEE code, e.g. `45155` (Gien) or `2A004`"
        }
        MemberKind::Epci => "an EPCI's code is its 9-digit SIREN, e.g. `244500211`",
        MemberKind::Departement => "a département's code is e.g. `45`, `2A` or `974`",
        MemberKind::Region => "a région's code is e.g. `24` (Centre-Val de Loire)",
    })
}

pub fn read_member(mut t: TableReader<'_, '_, '_>, locations: &mut Locations) -> Option<Member> {
    let id = read_member_id(&t);
    if let Some(id) = &id {
        t.set_path(FieldPath::new(Owner::Member(id.value.clone()), ""));
        locations.insert(
            format!("member:{}", id.value),
            Location::of(&t.ctx.source, &id.span),
        );
    }
    let id_value = id.as_ref().map(|i| i.value.as_str());
    let (kind, code) = read_kind_and_code(&t);
    let name = t.text(
        "name",
        true,
        limits::NAME,
        "the collectivity's name, e.g. `Ville de Gien`",
    );
    let addresses = read_addresses(&t, id_value, locations);
    let contact = t.table("contact").map(read_contact).unwrap_or_default();
    let help_desks = t
        .tables("help_desk", limits::MAX_HELP_DESKS, |i| {
            t.path.join(&format!("help_desk[{i}]"))
        })
        .into_iter()
        .filter_map(read_help_desk)
        .collect();
    let territory = t
        .table("territory")
        .map(|tt| read_territory(tt, locations, id_value));
    let ctx = t.ctx;
    t.finish();
    let (id, code) = (id?, code?);
    locations.insert(
        format!("member:{}:code", id.value),
        Location::of(&ctx.source, &code.span),
    );
    Some(Member {
        id: id.value,
        kind: kind?,
        code: code.value,
        name: name?.value,
        api: addresses.api,
        fragment: addresses.fragment,
        website: addresses.website,
        contact,
        help_desks,
        territory,
    })
}

fn read_member_id(t: &TableReader<'_, '_, '_>) -> Option<At<String>> {
    let at = t.non_empty(
        "id",
        true,
        limits::ID,
        "give the member a short id such as `gien`",
    )?;
    if is_slug(&at.value) {
        return Some(at);
    }
    let hint = format!(
        "use lowercase letters, digits and hyphens, e.g. `{}`",
        slugify(&at.value)
    );
    t.error_at(
        "id",
        at.span,
        format!("`{}` is not a valid id", at.value),
        hint,
    );
    None
}

/// Where a member is on the web: its provider API, its fragment, its website.
struct Addresses {
    api: Option<SafeUrl>,
    fragment: Option<String>,
    website: Option<SafeUrl>,
}

fn read_addresses(
    t: &TableReader<'_, '_, '_>,
    id: Option<&str>,
    locations: &mut Locations,
) -> Addresses {
    let api_written = t.str("api", false, limits::URL, "");
    if let (Some(id), Some(written)) = (id, &api_written) {
        locations.insert(
            format!("member:{id}:api"),
            Location::of(&t.ctx.source, &written.span),
        );
    }
    let api = api_written.as_ref().and_then(|_| t.url("api", false));
    let fragment = t
        .str(
            "fragment",
            false,
            limits::URL,
            "a URL, absolute or relative to this file",
        )
        .and_then(|at| check_fragment(t, at));
    Addresses {
        api: api.map(|a| a.value),
        fragment,
        website: t.url("website", false).map(|w| w.value),
    }
}

/// `kind`, and `code` checked for the shape of that kind's official code.
fn read_kind_and_code(t: &TableReader<'_, '_, '_>) -> (Option<MemberKind>, Option<At<String>>) {
    let kinds = MemberKind::ALL.map(MemberKind::id).join("`, `");
    let kind = t
        .str(
            "kind",
            true,
            limits::CLOSED_LIST_ID,
            &format!("one of `{kinds}`"),
        )
        .and_then(|at| {
            MemberKind::from_id(&at.value).or_else(|| {
                t.error_at(
                    "kind",
                    at.span,
                    format!("`{}` is not a kind of member", at.value),
                    format!("write one of `{kinds}`"),
                );
                None
            })
        });
    let code = t.non_empty(
        "code",
        true,
        limits::CODE,
        "the official code: INSEE for a commune, SIREN for an EPCI, département or région code",
    );
    let code = match (kind, code) {
        (Some(kind), Some(code)) => match code_shape_hint(kind, &code.value) {
            Some(hint) => {
                let what = match kind {
                    MemberKind::Commune => "a commune's INSEE code",
                    MemberKind::Epci => "an EPCI's SIREN",
                    MemberKind::Departement => "a département code",
                    MemberKind::Region => "a région code",
                };
                let message = format!("`{}` is not {what}", code.value);
                t.error_at("code", code.span, message, hint);
                None
            }
            None => Some(code),
        },
        (_, code) => code,
    };
    (kind, code)
}

fn check_fragment(t: &TableReader<'_, '_, '_>, at: At<String>) -> Option<String> {
    match check_fragment_reference(&at.value, t.ctx.policy) {
        Ok(reference) => Some(reference),
        Err(e) => {
            t.error_at("fragment", at.span, e.to_string(), e.hint());
            None
        }
    }
}

fn read_territory(
    t: TableReader<'_, '_, '_>,
    locations: &mut Locations,
    member: Option<&str>,
) -> TerritoryOverride {
    let mut list = |key: &'static str, limit: ListLimit| -> Vec<String> {
        t.str_list(key, limit, "a list of official codes")
            .into_iter()
            .map(|at| {
                if let Some(member) = member {
                    locations.insert(
                        format!("member:{member}:territory.{key}:{}", at.value),
                        Location::of(&t.ctx.source, &at.span),
                    );
                }
                at.value
            })
            .collect()
    };
    let territory = TerritoryOverride {
        communes: list("communes", limits::COMMUNE_CODES),
        epcis: list("epcis", limits::EPCI_CODES),
        departements: list("departements", limits::DEPARTEMENT_CODES),
        except_communes: list("except_communes", limits::COMMUNE_CODES),
        except_epcis: list("except_epcis", limits::EPCI_CODES),
    };
    t.finish();
    territory
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_slugs() {
        assert!(is_slug("cc-giennoises"));
        assert!(!is_slug("CC Giennoises"));
        assert!(!is_slug("-x"));
        assert_eq!(slugify("Ville de Gien"), "ville-de-gien");
        assert_eq!(slugify("Cœur Côte Fleurie"), "coeur-cote-fleurie");
    }

    #[test]
    fn official_codes_have_the_right_shape() {
        assert_eq!(code_shape_hint(MemberKind::Commune, "45155"), None);
        assert_eq!(code_shape_hint(MemberKind::Commune, "2A004"), None);
        assert!(code_shape_hint(MemberKind::Commune, "4515").is_some());
        assert_eq!(code_shape_hint(MemberKind::Epci, "244500211"), None);
        assert!(code_shape_hint(MemberKind::Epci, "45155").is_some());
        assert_eq!(code_shape_hint(MemberKind::Departement, "974"), None);
        assert_eq!(code_shape_hint(MemberKind::Departement, "2B"), None);
    }
}
