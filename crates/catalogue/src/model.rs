//! The catalogue as the rest of the product sees it: a federation, its members, their services.
//!
//! These are plain, validated types: by the time a `Catalogue` exists, every URL is safe, every
//! duration parses, every reference resolves. Where each value came from (file, line, column) is
//! kept apart in [`crate::parse::Locations`] for the checks that need the territory data.

use crate::labels::{Category, LifeEvent};
use crate::values::markdown::Block;
use crate::values::{Money, Phone, ProcessingTime, SafeUrl, Text};

/// The whole federation: root file plus the fragments merged into it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Catalogue {
    pub federation: Federation,
    pub members: Vec<Member>,
    pub services: Vec<Service>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Federation {
    pub name: Text,
    /// The catalogue is demonstration data (shown as such to citizens).
    pub demo: bool,
    pub identity: Option<Identity>,
}

/// The OpenID Connect issuer trusted by every member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub issuer: SafeUrl,
    pub client_id: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MemberKind {
    Commune,
    Epci,
    Departement,
    Region,
}

impl MemberKind {
    pub const ALL: [MemberKind; 4] = [
        MemberKind::Commune,
        MemberKind::Epci,
        MemberKind::Departement,
        MemberKind::Region,
    ];

    pub fn id(self) -> &'static str {
        match self {
            MemberKind::Commune => "commune",
            MemberKind::Epci => "epci",
            MemberKind::Departement => "departement",
            MemberKind::Region => "region",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.id() == id)
    }

    /// "Ma commune", "Mon intercommunalité"… — the heading of a level on a citizen's page.
    pub fn level_label_fr(self) -> &'static str {
        match self {
            MemberKind::Commune => "Ma commune",
            MemberKind::Epci => "Mon intercommunalité",
            MemberKind::Departement => "Mon département",
            MemberKind::Region => "Ma région",
        }
    }
}

/// A collectivity of the federation.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// Stable id (`gien`), the prefix of its services' ids.
    pub id: String,
    pub kind: MemberKind,
    /// INSEE code (commune), SIREN (EPCI), département or région code.
    pub code: String,
    pub name: Text,
    /// Base URL of its provider API; the only origin (with the issuer) a bearer token may go to.
    pub api: Option<SafeUrl>,
    /// Where its own catalogue fragment is published (absolute, or relative to the root file).
    pub fragment: Option<String>,
    pub website: Option<SafeUrl>,
    pub contact: Contact,
    /// Counters where citizens can get help (France services houses, reception desks).
    pub help_desks: Vec<HelpDesk>,
    /// Overrides the territory derived from `kind` + `code` (see docs/territory.md).
    pub territory: Option<TerritoryOverride>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Contact {
    pub address: Option<String>,
    pub phone: Option<Phone>,
    pub email: Option<String>,
    /// Opening hours, one line per period ("Lundi au vendredi : 8 h 30 – 12 h").
    pub hours: Vec<String>,
}

/// A France services house or another counter where people are helped with procedures.
#[derive(Clone, Debug, PartialEq)]
pub struct HelpDesk {
    pub id: String,
    pub name: String,
    pub france_services: bool,
    pub contact: Contact,
}

/// Explicit coverage: replaces the default territory of a member.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TerritoryOverride {
    pub communes: Vec<String>,
    pub epcis: Vec<String>,
    pub departements: Vec<String>,
    /// Communes removed from what the lists above (or the default territory) cover.
    pub except_communes: Vec<String>,
    pub except_epcis: Vec<String>,
}

/// A public service, aligned on CPSV-AP where it fits.
#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    /// `member-id/slug`.
    pub id: String,
    /// The member that provides it (the id's prefix).
    pub member: String,
    pub title: Text,
    pub summary: Text,
    /// Safe Markdown subset, as written.
    pub description: Option<Text>,
    /// The description parsed (French).
    pub description_blocks: Vec<Block>,
    pub category: Category,
    pub life_events: Vec<LifeEvent>,
    pub keywords: Vec<String>,
    pub channels: Channels,
    pub cost: Option<Money>,
    pub cost_note: Option<String>,
    pub processing_time: Option<ProcessingTime>,
    pub evidence: Vec<String>,
    pub output: Option<String>,
    pub eligibility: Option<Eligibility>,
    pub more_info: Option<SafeUrl>,
}

impl Service {
    /// The slug part of the id (`acte-naissance` in `gien/acte-naissance`).
    pub fn slug(&self) -> &str {
        self.id.split_once('/').map_or(self.id.as_str(), |(_, s)| s)
    }

    /// The provider form id when the service can be done online.
    pub fn form(&self) -> Option<&str> {
        self.channels.online.as_ref().map(|o| o.form.as_str())
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Channels {
    pub online: Option<Online>,
    pub counter: Option<Counter>,
    pub phone: Option<PhoneChannel>,
    pub mail: Option<Mail>,
}

impl Channels {
    pub fn is_empty(&self) -> bool {
        self.online.is_none()
            && self.counter.is_none()
            && self.phone.is_none()
            && self.mail.is_none()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Online {
    /// Form id on the member's provider API.
    pub form: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Counter {
    /// Where, when it is not the member's main address.
    pub address: Option<String>,
    pub hours: Vec<String>,
    pub appointment: bool,
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PhoneChannel {
    pub number: Phone,
    pub hours: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    pub address: String,
}

/// Who may use a service, when narrower than the member's territory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Eligibility {
    /// Only these communes (INSEE codes) of the member's territory.
    pub communes: Vec<String>,
    /// Who, in words ("Personnes de 60 ans et plus").
    pub note: Option<String>,
}

impl Catalogue {
    pub fn member(&self, id: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.id == id)
    }

    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    pub fn services_of<'a>(&'a self, member: &'a str) -> impl Iterator<Item = &'a Service> + 'a {
        self.services.iter().filter(move |s| s.member == member)
    }

    /// Services that can be done online.
    pub fn online_count(&self) -> usize {
        self.services.iter().filter(|s| s.form().is_some()).count()
    }

    /// Origins a bearer token may be sent to: every member's provider API and the issuer.
    /// Normalised (`scheme://host[:port]`), sorted, without duplicates.
    pub fn declared_api_origins(&self) -> Vec<String> {
        let mut origins: Vec<String> = self
            .members
            .iter()
            .filter_map(|m| m.api.as_ref().map(SafeUrl::origin))
            .collect();
        origins.sort();
        origins.dedup();
        origins
    }

    /// The member whose provider API is at `origin`, if any.
    pub fn member_by_api_origin(&self, origin: &str) -> Option<&Member> {
        self.members
            .iter()
            .find(|m| m.api.as_ref().is_some_and(|api| api.origin() == origin))
    }

    /// Every help desk of the federation, with the member that lists it.
    pub fn help_desks(&self) -> impl Iterator<Item = (&Member, &HelpDesk)> {
        self.members
            .iter()
            .flat_map(|m| m.help_desks.iter().map(move |h| (m, h)))
    }
}
