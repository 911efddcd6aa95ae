//! Which members — and so which services — apply where a citizen lives.
//!
//! Coverage is derived, never listed: a commune member covers its commune, an EPCI member its
//! member communes, a département member every commune of the département, a région member every
//! commune of the région. A member may replace that default with an explicit `[member.territory]`
//! (lists of communes, EPCI and départements, minus exceptions). The Métropole de Lyon is the
//! classic case: it exercises the département's powers on its 59 communes, so the Rhône
//! département member declares `except_epcis = ["200046977"]` (see docs/territory.md).
//! A service may narrow its member's territory further with `eligibility.communes`.

use crate::model::{Catalogue, Member, MemberKind, Service};
use crate::territory::{CommuneInfo, Territory, departement_of};

/// Whether `member` serves the commune described by `info`.
pub fn member_covers(member: &Member, info: &CommuneInfo<'_>) -> bool {
    let code = info.commune.code.as_str();
    let epci = info.epci.map(|e| e.siren.as_str());
    let departement = info.departement.map(|d| d.code.as_str());
    let default = || match member.kind {
        MemberKind::Commune => member.code == code,
        MemberKind::Epci => epci == Some(member.code.as_str()),
        MemberKind::Departement => departement == Some(member.code.as_str()),
        MemberKind::Region => info.region.is_some_and(|r| r.code == member.code),
    };
    let Some(over) = &member.territory else {
        return default();
    };
    let explicit =
        !over.communes.is_empty() || !over.epcis.is_empty() || !over.departements.is_empty();
    let included = if explicit {
        over.communes.iter().any(|c| c == code)
            || epci.is_some_and(|e| over.epcis.iter().any(|x| x == e))
            || departement.is_some_and(|d| over.departements.iter().any(|x| x == d))
    } else {
        default()
    };
    let excluded = over.except_communes.iter().any(|c| c == code)
        || epci.is_some_and(|e| over.except_epcis.iter().any(|x| x == e));
    included && !excluded
}

/// Whether a service applies to a commune its member covers.
pub fn service_applies(service: &Service, info: &CommuneInfo<'_>) -> bool {
    match &service.eligibility {
        Some(e) if !e.communes.is_empty() => e.communes.contains(&info.commune.code),
        _ => true,
    }
}

/// One level of a citizen's page: "Ma commune — Gien" and its services.
#[derive(Clone, Debug)]
pub struct Level<'c> {
    pub kind: MemberKind,
    /// Members of the federation serving this commune at this level (usually zero or one).
    pub members: Vec<(&'c Member, Vec<&'c Service>)>,
}

/// Everything that applies to one commune.
#[derive(Clone, Debug)]
pub struct Coverage<'c, 't> {
    pub commune: CommuneInfo<'t>,
    /// Commune, EPCI, département, région — always the four, possibly with no member.
    pub levels: Vec<Level<'c>>,
}

impl<'c> Coverage<'c, '_> {
    /// All applicable services, level by level.
    pub fn services(&self) -> impl Iterator<Item = &'c Service> + '_ {
        self.levels
            .iter()
            .flat_map(|l| l.members.iter().flat_map(|(_, s)| s.iter().copied()))
    }

    /// `true` when no member of the federation serves this commune at all.
    pub fn is_uncovered(&self) -> bool {
        self.levels.iter().all(|l| l.members.is_empty())
    }
}

/// The members and services applying to the commune `insee` (a déléguée or arrondissement code
/// resolves to its current commune), or `None` for an unknown code.
pub fn coverage<'c, 't>(
    catalogue: &'c Catalogue,
    territory: &'t Territory,
    insee: &str,
) -> Option<Coverage<'c, 't>> {
    let info = territory.commune(insee)?;
    let levels = MemberKind::ALL
        .into_iter()
        .map(|kind| Level {
            kind,
            members: catalogue
                .members
                .iter()
                .filter(|m| m.kind == kind && member_covers(m, &info))
                .map(|m| {
                    let services = catalogue
                        .services_of(&m.id)
                        .filter(|s| service_applies(s, &info))
                        .collect();
                    (m, services)
                })
                .collect(),
        })
        .collect();
    Some(Coverage {
        commune: info,
        levels,
    })
}

/// The current communes a member covers (for `catalogue check`'s summary and for validation).
pub fn covered_communes<'t>(member: &Member, territory: &'t Territory) -> Vec<&'t str> {
    (0..territory.communes.len() as u32)
        .map(|i| territory.info(i))
        .filter(|info| member_covers(member, info))
        .map(|info| info.commune.code.as_str())
        .collect()
}

/// The département a member sits in, when the catalogue alone tells it: a commune's (from its
/// INSEE code) or a département's own code. `None` for EPCI and régions, which need the territory.
pub fn member_departement(member: &Member) -> Option<&str> {
    match member.kind {
        MemberKind::Commune => Some(departement_of(&member.code)),
        MemberKind::Departement => Some(member.code.as_str()),
        MemberKind::Epci | MemberKind::Region => None,
    }
}

/// Help desks for a service when the citizen's commune is not known: the service's member's own,
/// then those of the members in the same département (so a Gien page does not send people to a
/// house in the Calvados). When the member's département cannot be told, every France services
/// house of the federation, as the best remaining guess.
pub fn help_desks_near<'c>(
    catalogue: &'c Catalogue,
    member: &Member,
) -> Vec<(&'c Member, &'c crate::model::HelpDesk)> {
    let near = member_departement(member);
    catalogue
        .help_desks()
        .filter(|(m, desk)| {
            m.id == member.id
                || match near {
                    Some(d) => member_departement(m) == Some(d),
                    None => desk.france_services,
                }
        })
        .collect()
}

#[cfg(test)]
mod near_tests {
    use super::*;
    use crate::model::{Contact, HelpDesk};

    fn member(id: &str, kind: MemberKind, code: &str, desk: Option<(&str, bool)>) -> Member {
        Member {
            id: id.into(),
            kind,
            code: code.into(),
            name: crate::values::Text::fr(id),
            api: None,
            fragment: None,
            website: None,
            contact: Contact::default(),
            help_desks: desk
                .map(|(d, fs)| HelpDesk {
                    id: d.into(),
                    name: d.into(),
                    france_services: fs,
                    contact: Contact::default(),
                })
                .into_iter()
                .collect(),
            territory: None,
        }
    }

    fn federation() -> Catalogue {
        Catalogue {
            members: vec![
                member(
                    "gien",
                    MemberKind::Commune,
                    "45155",
                    Some(("fs-gien", true)),
                ),
                member("cc-giennoises", MemberKind::Epci, "244500211", None),
                member(
                    "loiret",
                    MemberKind::Departement,
                    "45",
                    Some(("mds-gien", false)),
                ),
                member(
                    "deauville",
                    MemberKind::Commune,
                    "14220",
                    Some(("fs-trouville", true)),
                ),
                member(
                    "calvados",
                    MemberKind::Departement,
                    "14",
                    Some(("cds-auge", false)),
                ),
            ],
            ..Catalogue::default()
        }
    }

    fn desks(member_id: &str) -> Vec<String> {
        let catalogue = federation();
        let Some(member) = catalogue.member(member_id) else {
            return Vec::new();
        };
        help_desks_near(&catalogue, member)
            .into_iter()
            .map(|(_, d)| d.id.clone())
            .collect()
    }

    #[test]
    fn a_commune_service_shows_the_desks_of_its_departement_only() {
        assert_eq!(desks("gien"), ["fs-gien", "mds-gien"]);
        assert_eq!(desks("calvados"), ["fs-trouville", "cds-auge"]);
    }

    #[test]
    fn an_epci_service_without_the_territory_shows_every_france_services_house() {
        assert_eq!(desks("cc-giennoises"), ["fs-gien", "fs-trouville"]);
    }

    #[test]
    fn overseas_communes_use_three_digit_departements() {
        let m = member("saint-denis", MemberKind::Commune, "97411", None);
        assert_eq!(member_departement(&m), Some("974"));
    }
}
