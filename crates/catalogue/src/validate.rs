//! Checks that span several entries or files: unique ids, references that must resolve, merging
//! fragments, and official codes against the territory (COG).
//!
//! Parsing already checked each value on its own; what is left needs the whole picture. Invalid
//! entries are removed from the catalogue so that what remains is consistent, and each removal is
//! a diagnostic.

use crate::coverage::member_covers;
use crate::diagnostic::{Diagnostic, FieldPath, Owner};
use crate::model::{Catalogue, Member, MemberKind, Service, TerritoryOverride};
use crate::parse::{Locations, Parsed};
use crate::territory::Territory;
use std::collections::HashSet;

/// Removes duplicate members and services (keeping the first) and online services whose member
/// has no provider API.
pub fn dedupe(catalogue: &mut Catalogue, locations: &Locations, file: &str) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut ids = HashSet::new();
    let mut codes = HashSet::new();
    catalogue.members.retain(|m| {
        let at = locations.or_file(&format!("member:{}", m.id), file);
        if !ids.insert(m.id.clone()) {
            diagnostics.push(at.diagnostic(
                FieldPath::new(Owner::Member(m.id.clone()), "id"),
                format!("member id `{}` is used twice", m.id),
                "give each member its own id",
            ));
            return false;
        }
        if !codes.insert((m.kind, m.code.clone())) {
            diagnostics.push(at.diagnostic(
                FieldPath::new(Owner::Member(m.id.clone()), "code"),
                format!("another member already is the {} `{}`", m.kind.id(), m.code),
                "a collectivity is declared once; merge the two entries",
            ));
        }
        let mut desks = HashSet::new();
        for desk in &m.help_desks {
            if !desks.insert(desk.id.as_str()) {
                diagnostics.push(at.diagnostic(
                    FieldPath::new(Owner::Member(m.id.clone()), "help_desk.id"),
                    format!("help desk id `{}` is used twice", desk.id),
                    "give each help desk its own id",
                ));
            }
        }
        true
    });
    let members = catalogue.members.clone();
    let mut service_ids = HashSet::new();
    catalogue.services.retain(|s| {
        keep_service(
            s,
            &members,
            &mut service_ids,
            locations,
            file,
            &mut diagnostics,
        )
    });
    diagnostics
}

fn keep_service(
    service: &Service,
    members: &[crate::model::Member],
    seen: &mut HashSet<String>,
    locations: &Locations,
    file: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    let at = locations.or_file(&format!("service:{}", service.id), file);
    let path = |field: &str| FieldPath::new(Owner::Service(service.id.clone()), field);
    if !seen.insert(service.id.clone()) {
        diagnostics.push(at.diagnostic(
            path("id"),
            format!("service id `{}` is used twice", service.id),
            "give each service its own id (ids are stable: they are in citizens' links)",
        ));
        return false;
    }
    let Some(member) = members.iter().find(|m| m.id == service.member) else {
        // Its member was declared but is invalid, and already reported: the service goes with it.
        return false;
    };
    // A member whose `api` was written but refused has already been reported.
    let api_written = locations
        .get(&format!("member:{}:api", service.member))
        .is_some();
    if service.channels.online.is_some() && member.api.is_none() && !api_written {
        diagnostics.push(at.diagnostic(
            path("channels.online"),
            format!(
                "member `{}` has no provider API, so the service cannot be done online",
                service.member
            ),
            format!(
                "add `api = \"https://…\"` to member `{}`, or remove `[service.channels.online]`",
                service.member
            ),
        ));
        return false;
    }
    true
}

/// Merges a member's fragment into the catalogue, dropping services whose ids already exist.
pub fn merge_fragment(
    catalogue: &mut Catalogue,
    locations: &mut Locations,
    fragment: Parsed<Vec<Service>>,
) -> Vec<Diagnostic> {
    let Parsed {
        value: services,
        locations: fragment_locations,
        mut diagnostics,
    } = fragment;
    let mut seen: HashSet<String> = catalogue.services.iter().map(|s| s.id.clone()).collect();
    let members = catalogue.members.clone();
    locations.extend(fragment_locations);
    for service in services {
        if keep_service(
            &service,
            &members,
            &mut seen,
            locations,
            "",
            &mut diagnostics,
        ) {
            catalogue.services.push(service);
        }
    }
    diagnostics
}

/// Checks official codes against the COG: members' codes, territory overrides, eligibility.
pub fn check_territory(
    catalogue: &Catalogue,
    locations: &Locations,
    territory: &Territory,
    file: &str,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for member in &catalogue.members {
        if let Some((message, hint)) = member_code_problem(member, territory) {
            let at = locations.or_file(&format!("member:{}:code", member.id), file);
            let path = FieldPath::new(Owner::Member(member.id.clone()), "code");
            diagnostics.push(at.diagnostic(path, message, hint));
        }
        if let Some(over) = &member.territory {
            check_override(member, over, locations, territory, file, &mut diagnostics);
        }
    }
    for service in &catalogue.services {
        check_eligibility(
            catalogue,
            service,
            locations,
            territory,
            file,
            &mut diagnostics,
        );
    }
    diagnostics
}

/// What is wrong with a member's official code, with the fix.
fn member_code_problem(member: &Member, territory: &Territory) -> Option<(String, String)> {
    let code = member.code.as_str();
    match member.kind {
        MemberKind::Commune if territory.is_current_commune(code) => None,
        MemberKind::Commune => Some(match territory.aliases_with_code(code).next() {
            Some(alias) => {
                let current = &territory.communes[alias.commune as usize];
                (
                    format!(
                        "`{code}` ({}) is a {}, not a current commune",
                        alias.name,
                        alias.kind.label_fr()
                    ),
                    format!(
                        "use the current commune `{}` ({})",
                        current.code, current.name
                    ),
                )
            }
            None => (
                format!("`{code}` is not the INSEE code of a current commune (COG 2026)"),
                "check the code on https://www.insee.fr/fr/recherche/recherche-geographique"
                    .to_owned(),
            ),
        }),
        MemberKind::Epci if territory.epci(code).is_some() => None,
        MemberKind::Epci => Some(match territory.commune(code) {
            Some(_) => (
                format!("`{code}` is a commune's code, not an EPCI's SIREN"),
                "use the 9-digit SIREN of the intercommunalité".to_owned(),
            ),
            None => (
                format!("`{code}` is not the SIREN of an EPCI (COG 2026)"),
                "check the SIREN on https://www.banatic.interieur.gouv.fr".to_owned(),
            ),
        }),
        MemberKind::Departement if territory.departement(code).is_some() => None,
        MemberKind::Departement => Some((
            format!("`{code}` is not a département code"),
            "e.g. `45` (Loiret), `2A` (Corse-du-Sud), `974` (La Réunion)".to_owned(),
        )),
        MemberKind::Region if territory.region(code).is_some() => None,
        MemberKind::Region => Some((
            format!("`{code}` is not a région code"),
            "e.g. `24` (Centre-Val de Loire), `28` (Normandie)".to_owned(),
        )),
    }
}

type CodeExists<'t> = dyn Fn(&str) -> bool + 't;

/// Every code of a member's `[member.territory]` exists and is of the right kind.
fn check_override(
    member: &Member,
    over: &TerritoryOverride,
    locations: &Locations,
    territory: &Territory,
    file: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let commune = |c: &str| territory.is_current_commune(c);
    let epci = |c: &str| territory.epci(c).is_some();
    let departement = |c: &str| territory.departement(c).is_some();
    let lists: [(&str, &[String], &CodeExists, &str); 5] = [
        ("communes", &over.communes, &commune, "a current commune"),
        (
            "except_communes",
            &over.except_communes,
            &commune,
            "a current commune",
        ),
        ("epcis", &over.epcis, &epci, "an EPCI's SIREN"),
        ("except_epcis", &over.except_epcis, &epci, "an EPCI's SIREN"),
        (
            "departements",
            &over.departements,
            &departement,
            "a département code",
        ),
    ];
    for (key, codes, exists, what) in lists {
        for code in codes.iter().filter(|c| !exists(c)) {
            let at = locations.or_file(
                &format!("member:{}:territory.{key}:{code}", member.id),
                file,
            );
            diagnostics.push(at.diagnostic(
                FieldPath::new(Owner::Member(member.id.clone()), format!("territory.{key}")),
                format!("`{code}` is not {what}"),
                "use codes from the official geographic code (COG 2026)",
            ));
        }
    }
}

/// A service's eligible communes exist and are inside its member's territory.
fn check_eligibility(
    catalogue: &Catalogue,
    service: &Service,
    locations: &Locations,
    territory: &Territory,
    file: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(eligibility) = &service.eligibility else {
        return;
    };
    let member = catalogue.member(&service.member);
    for code in &eligibility.communes {
        let at = locations.or_file(
            &format!("service:{}:eligibility.communes:{code}", service.id),
            file,
        );
        let path = FieldPath::new(Owner::Service(service.id.clone()), "eligibility.communes");
        match (territory.commune(code), member) {
            (None, _) => diagnostics.push(at.diagnostic(
                path,
                format!("`{code}` is not a current commune"),
                "use INSEE codes of current communes",
            )),
            (Some(info), Some(m)) if !member_covers(m, &info) => diagnostics.push(at.diagnostic(
                path,
                format!(
                    "`{code}` ({}) is outside the territory of member `{}`",
                    info.commune.name, m.id
                ),
                "eligibility can only narrow the member's territory",
            )),
            _ => {}
        }
    }
}
