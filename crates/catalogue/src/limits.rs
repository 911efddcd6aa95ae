//! Hard limits on what a catalogue file may hold, shared by the validator and the portal.
//!
//! A federation member may be hostile or simply broken: a fragment of 200 MB or of 20,000 services
//! must be refused before it costs a citizen's phone anything. The portal checks the byte limits
//! while it reads a file (it stops reading past them), the parser checks them again with every
//! count and length below, and the CLI says the same thing, so a member finds out before
//! publishing.
//!
//! Every string of the format has a length limit and every list a number of items; the values
//! are written for people in `docs/catalogue.md`, and a test keeps that table true. A string
//! longer than its limit is refused (like any invalid value); a list longer than its limit is
//! reported and only its first items are read, so the cost of a file is bounded whatever it holds.

/// The federation's root `services.toml`, in bytes.
pub const MAX_ROOT_BYTES: usize = 2 * 1024 * 1024;

/// One member's fragment, in bytes.
pub const MAX_FRAGMENT_BYTES: usize = 512 * 1024;

/// Services one fragment may declare.
pub const MAX_SERVICES_PER_FRAGMENT: usize = 500;

/// Services the root file may declare inline (every member together).
pub const MAX_SERVICES_IN_ROOT: usize = 2_000;

/// Members of one federation: more than the communes and EPCIs of the largest département
/// (about 900), well under what the root's byte limit could hold.
pub const MAX_MEMBERS: usize = 5_000;

/// Help desks one member lists.
pub const MAX_HELP_DESKS: usize = 50;

/// The most a string field may hold, in characters (not bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextLimit {
    /// The field(s) it applies to: the first cell of its row in `docs/catalogue.md`.
    pub field: &'static str,
    pub max_chars: usize,
    /// Line breaks and tabs allowed (descriptions only).
    pub multiline: bool,
    /// What to do when it is too long.
    pub shorten: &'static str,
}

/// The most items a list of strings may hold, and the limit of each item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListLimit {
    pub field: &'static str,
    pub max_items: usize,
    pub item: TextLimit,
}

const fn line(field: &'static str, max_chars: usize) -> TextLimit {
    TextLimit {
        field,
        max_chars,
        multiline: false,
        shorten: "shorten it",
    }
}

const fn list(field: &'static str, max_items: usize, item_chars: usize) -> ListLimit {
    ListLimit {
        field,
        max_items,
        item: line(field, item_chars),
    }
}

/// Ids of members, help desks and forms, and a fragment's `member` (slugs).
pub const ID: TextLimit = line(
    "`id` (member, help desk), `channels.online.form`, a fragment's `member`",
    64,
);
/// `member-id/slug`.
pub const SERVICE_ID: TextLimit = line("`id` (service)", 129);
/// `kind`, `category` and `life_events` items (closed lists).
pub const CLOSED_LIST_ID: TextLimit = line("`kind`, `category`", 32);
/// A member's official code, and every code in territory and eligibility lists.
pub const CODE: TextLimit = line("`code`", 16);
/// Names of the federation, members and help desks.
pub const NAME: TextLimit = line("`name`", 120);
pub const TITLE: TextLimit = TextLimit {
    shorten: "shorten it; details belong in `description`",
    ..line("`title`", 120)
};
pub const SUMMARY: TextLimit = TextLimit {
    shorten: "shorten it; details belong in `description`",
    ..line("`summary`", 300)
};
pub const DESCRIPTION: TextLimit = TextLimit {
    field: "`description`",
    max_chars: 5_000,
    multiline: true,
    shorten: "shorten it; link to a page of the member's website for the rest",
};
/// Every URL: `api`, `website`, `more_info`, `issuer`, `fragment`, links in descriptions.
pub const URL: TextLimit = line("every URL", 2_000);
/// Postal addresses (contact, help desk, counter).
pub const ADDRESS: TextLimit = line("`address` (contact, help desk, counter)", 200);
/// A mail channel's address (postal, or an e-mail address).
pub const MAIL_ADDRESS: TextLimit = line("`channels.mail.address`", 300);
pub const PHONE: TextLimit = line("`phone`, `channels.phone.number`", 32);
/// RFC 5321's limit for an address.
pub const EMAIL: TextLimit = line("`email`", 254);
/// The strings of `[federation.identity]` other than `issuer` (`client_id`…).
pub const IDENTITY_VALUE: TextLimit = line("`[federation.identity]` values", 200);
/// `cost` and `processing_time`, which have their own syntax.
pub const SHORT_VALUE: TextLimit = line("`cost`, `processing_time`", 40);
/// `cost_note`, `output`, `eligibility.note`.
pub const NOTE: TextLimit = line("`cost_note`, `output`, `eligibility.note`", 300);
/// A counter's `note`.
pub const COUNTER_NOTE: TextLimit = line("`channels.counter.note`", 500);

pub const HOURS: ListLimit = list("`hours`", 14, 120);
pub const KEYWORDS: ListLimit = list("`keywords`", 30, 60);
pub const EVIDENCE: ListLimit = list("`evidence`", 30, 300);
pub const LIFE_EVENTS: ListLimit = list("`life_events`", 10, 32);
/// `territory.communes`, `territory.except_communes`, `eligibility.communes`.
pub const COMMUNE_CODES: ListLimit = list("`communes`, `except_communes`", 5_000, 16);
/// `territory.epcis`, `territory.except_epcis` (France has about 1,250 EPCI).
pub const EPCI_CODES: ListLimit = list("`epcis`, `except_epcis`", 2_000, 16);
/// `territory.departements` (101 départements).
pub const DEPARTEMENT_CODES: ListLimit = list("`departements`", 120, 16);

/// Every string limit, for the documentation test.
pub const TEXT_LIMITS: &[TextLimit] = &[
    ID,
    SERVICE_ID,
    CLOSED_LIST_ID,
    CODE,
    NAME,
    TITLE,
    SUMMARY,
    DESCRIPTION,
    URL,
    ADDRESS,
    MAIL_ADDRESS,
    PHONE,
    EMAIL,
    IDENTITY_VALUE,
    SHORT_VALUE,
    NOTE,
    COUNTER_NOTE,
];

/// Every list limit, for the documentation test.
pub const LIST_LIMITS: &[ListLimit] = &[
    HOURS,
    KEYWORDS,
    EVIDENCE,
    LIFE_EVENTS,
    COMMUNE_CODES,
    EPCI_CODES,
    DEPARTEMENT_CODES,
];

/// `1234567` → `1,234,567`, as numbers are written in the documentation and in messages.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The "Limits" section of `docs/catalogue.md`.
    fn docs() -> String {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/catalogue.md");
        let docs = std::fs::read_to_string(path).unwrap_or_default();
        let section = docs.split("\n## Limits\n").nth(1).unwrap_or_default();
        section.split("\n## ").next().unwrap_or_default().to_owned()
    }

    /// The row of a table whose first cell is `field`.
    fn row<'d>(docs: &'d str, field: &str) -> Option<&'d str> {
        let start = format!("| {field} |");
        docs.lines().find(|l| l.starts_with(&start))
    }

    #[test]
    fn the_documentation_states_every_string_limit() {
        let docs = docs();
        for limit in TEXT_LIMITS {
            let row = row(&docs, limit.field).unwrap_or_else(|| {
                panic!(
                    "the Limits section of docs/catalogue.md has no row | {} |",
                    limit.field
                )
            });
            let chars = format!("{} characters", thousands(limit.max_chars));
            assert!(row.contains(&chars), "{row} should say {chars}");
        }
    }

    #[test]
    fn the_documentation_states_every_list_limit() {
        let docs = docs();
        for limit in LIST_LIMITS {
            let row = row(&docs, limit.field).unwrap_or_else(|| {
                panic!(
                    "the Limits section of docs/catalogue.md has no row | {} |",
                    limit.field
                )
            });
            let items = format!("{} items", thousands(limit.max_items));
            let chars = format!("{} characters", thousands(limit.item.max_chars));
            assert!(
                row.contains(&items) && row.contains(&chars),
                "{row} should say {items} of {chars}"
            );
        }
        for (what, n) in [
            ("root catalogue", MAX_ROOT_BYTES),
            ("fragment", MAX_FRAGMENT_BYTES),
        ] {
            let bytes = format!("{} bytes", thousands(n));
            assert!(
                docs.contains(&bytes),
                "the Limits section of docs/catalogue.md should give the {what} limit, {bytes}"
            );
        }
        for n in [
            MAX_SERVICES_PER_FRAGMENT,
            MAX_SERVICES_IN_ROOT,
            MAX_MEMBERS,
            MAX_HELP_DESKS,
        ] {
            assert!(
                docs.contains(&thousands(n)),
                "the Limits section of docs/catalogue.md should give the limit {n}"
            );
        }
    }

    #[test]
    fn field_names_are_unique() {
        let mut names: Vec<&str> = TEXT_LIMITS.iter().map(|l| l.field).collect();
        names.extend(LIST_LIMITS.iter().map(|l| l.field));
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count);
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(5_000), "5,000");
        assert_eq!(thousands(2_097_152), "2,097,152");
    }
}
