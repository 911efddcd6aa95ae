//! The official territory (COG): communes, EPCI, départements, régions — and how they nest.
//!
//! The source is the npm package `@etalab/decoupage-administratif` (COG 2026, Licence Ouverte).
//! A build step ([`build`], native only) converts its JSON into one compact text index
//! (`public/data/territory.idx`) that the CLI, the tests and the SPA all read with
//! [`Territory::from_index`]. The SPA fetches it only when a citizen chooses where they live.
//!
//! Index format (UTF-8, one record per line, fields separated by tabs — shown as `→` here —,
//! version header first):
//!
//! ```text
//! #guichet-territory → 2
//! R → <région code> → <name>
//! D → <département code> → <région code> → <name>
//! E → <siren> → <type> → <name>                                 (EPCI, numbered from 0 in order)
//! C → <number of communes, n>
//! <n lines: insee>                     then <n lines: name>          then <n lines: epci number or empty>
//! then <n lines: size class>           then <n lines: postcode,postcode…>
//! A → <code> → <name> → <current commune insee> → <d|a|m>         (déléguée, associée, arrondissement municipal)
//! ```
//!
//! Communes are stored column by column, and their INSEE codes and postcodes shortened: an INSEE
//! code in the same département as the previous one, with a larger number, is written as the
//! difference of their last three digits (`1` after `01001` is `01002`); a postcode starting with
//! the two characters of its commune's INSEE code is written without them (`400` for `01400` in
//! `01…`). Same information, 21 % fewer bytes after brotli (363 → 286 KB), because similar values
//! sit next to each other and counting up costs almost nothing.
//!
//! The size class is `round(2 × log2(population + 1))`: enough to rank larger communes first, and
//! far more compressible than exact populations (the index is downloaded by browsers).
//!
//! A commune's département is not stored: it is the first two characters of its INSEE code, or
//! three for overseas codes (`97…`, `98…`).

#[cfg(feature = "cli")]
pub mod build;
mod search;

pub use search::{CommuneMatch, MatchKind};

use std::collections::HashMap;

pub const INDEX_HEADER: &str = "#guichet-territory\t2";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
    pub code: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Departement {
    pub code: String,
    pub region: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Epci {
    pub siren: String,
    /// `CC`, `CA`, `CU`, `METRO`, `MET69`.
    pub kind: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commune {
    pub code: String,
    pub name: String,
    pub epci: Option<u16>,
    /// Log-scale size class (see the index format): ranks larger communes first.
    pub size: u8,
    pub postcodes: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AliasKind {
    /// Commune déléguée of a commune nouvelle.
    Deleguee,
    /// Commune associée.
    Associee,
    /// Arrondissement municipal of Paris, Lyon or Marseille.
    Arrondissement,
}

impl AliasKind {
    fn letter(self) -> char {
        match self {
            AliasKind::Deleguee => 'd',
            AliasKind::Associee => 'a',
            AliasKind::Arrondissement => 'm',
        }
    }

    fn from_letter(letter: &str) -> Option<Self> {
        match letter {
            "d" => Some(AliasKind::Deleguee),
            "a" => Some(AliasKind::Associee),
            "m" => Some(AliasKind::Arrondissement),
            _ => None,
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            AliasKind::Deleguee => "commune déléguée",
            AliasKind::Associee => "commune associée",
            AliasKind::Arrondissement => "arrondissement",
        }
    }
}

/// A former or infra-communal name that resolves to a current commune.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alias {
    pub code: String,
    pub name: String,
    /// Index of the current commune.
    pub commune: u32,
    pub kind: AliasKind,
}

/// Why an index could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TerritoryError {
    #[error(
        "not a territory index (missing `{INDEX_HEADER}` header); regenerate it with `cargo xtask territory`"
    )]
    BadHeader,
    #[error("territory index line {line}: {problem}; regenerate it with `cargo xtask territory`")]
    BadLine { line: usize, problem: String },
    #[error("territory data {0}")]
    Source(String),
}

/// The whole territory, with its lookup indexes.
#[derive(Clone, Debug, Default)]
pub struct Territory {
    pub regions: Vec<Region>,
    pub departements: Vec<Departement>,
    pub epcis: Vec<Epci>,
    pub communes: Vec<Commune>,
    pub aliases: Vec<Alias>,
    by_code: HashMap<String, u32>,
    aliases_by_code: HashMap<String, Vec<u32>>,
    departement_by_code: HashMap<String, u16>,
    region_by_code: HashMap<String, u16>,
    epci_by_siren: HashMap<String, u16>,
    epci_members: Vec<Vec<u32>>,
    search: search::SearchKeys,
}

/// A commune with everything above it.
#[derive(Clone, Copy, Debug)]
pub struct CommuneInfo<'t> {
    pub commune: &'t Commune,
    pub epci: Option<&'t Epci>,
    pub departement: Option<&'t Departement>,
    pub region: Option<&'t Region>,
}

/// The INSEE code `code` as written after `previous` (see the index format).
fn shorten_code<'c>(previous: &str, code: &'c str) -> std::borrow::Cow<'c, str> {
    let number = |c: &str| {
        c.get(2..)
            .filter(|d| d.len() == 3 && d.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|d| d.parse::<u16>().ok())
    };
    match (number(previous), number(code)) {
        (Some(before), Some(now)) if previous.get(..2) == code.get(..2) && now > before => {
            (now - before).to_string().into()
        }
        _ => code.into(),
    }
}

/// The INSEE code written as `written` after `previous` (see the index format).
fn expand_code(previous: &str, written: &str) -> Option<String> {
    if written.len() == 5 {
        return Some(written.to_owned());
    }
    let delta: u16 = written.parse().ok()?;
    let before: u16 = previous.get(2..)?.parse().ok()?;
    let now = before.checked_add(delta).filter(|n| *n < 1000)?;
    Some(format!("{}{now:03}", previous.get(..2)?))
}

/// Reads the `count` lines of each commune column (see the index format).
fn read_communes<'t>(
    lines: &mut impl Iterator<Item = (usize, &'t str)>,
    count: usize,
    epcis: usize,
) -> Result<Vec<Commune>, TerritoryError> {
    let mut column = |what: &str| -> Result<Vec<(usize, &'t str)>, TerritoryError> {
        let values: Vec<(usize, &str)> = lines.by_ref().take(count).collect();
        if values.len() == count {
            Ok(values)
        } else {
            Err(TerritoryError::BadLine {
                line: values.last().map_or(0, |(i, _)| *i),
                problem: format!("the index ends before the communes' {what}"),
            })
        }
    };
    let (codes, names, epci_numbers, sizes, postcodes) = (
        column("INSEE codes")?,
        column("names")?,
        column("EPCI numbers")?,
        column("size classes")?,
        column("postcodes")?,
    );
    let bad = |line: usize, problem: &str| TerritoryError::BadLine {
        line,
        problem: problem.to_owned(),
    };
    let mut communes = Vec::with_capacity(count);
    let mut previous = String::new();
    for i in 0..count {
        let (line, written) = codes[i];
        let code = expand_code(&previous, written).ok_or_else(|| bad(line, "bad INSEE code"))?;
        let (line, epci) = epci_numbers[i];
        let epci = if epci.is_empty() {
            None
        } else {
            let n: u16 = epci
                .parse()
                .map_err(|_| bad(line, "EPCI number is not a number"))?;
            if usize::from(n) >= epcis {
                return Err(bad(line, "EPCI number refers to no EPCI"));
            }
            Some(n)
        };
        let (line, size) = sizes[i];
        let prefix = code.get(..2).unwrap_or_default();
        communes.push(Commune {
            name: names[i].1.into(),
            epci,
            size: size
                .parse()
                .map_err(|_| bad(line, "size class is not a number"))?,
            postcodes: postcodes[i]
                .1
                .split(',')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    if p.len() == 3 {
                        format!("{prefix}{p}")
                    } else {
                        p.to_owned()
                    }
                })
                .collect(),
            code: code.clone(),
        });
        previous = code;
    }
    Ok(communes)
}

/// The size class of a population (see the index format).
pub fn size_class(population: u32) -> u8 {
    (2.0 * f64::from(population).ln_1p() / std::f64::consts::LN_2).round() as u8
}

/// Each commune's position by its INSEE code, to link the aliases read before the list was
/// complete to their current commune.
fn positions_by_code(communes: &[Commune]) -> HashMap<&str, u32> {
    communes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.code.as_str(), i as u32))
        .collect()
}

/// The département code a commune's INSEE code belongs to.
pub fn departement_of(insee: &str) -> &str {
    let n = if insee.starts_with("97") || insee.starts_with("98") {
        3
    } else {
        2
    };
    insee.get(..n).unwrap_or(insee)
}

impl Territory {
    /// Assembles a territory from its records and builds the lookup indexes.
    pub fn from_parts(
        regions: Vec<Region>,
        departements: Vec<Departement>,
        epcis: Vec<Epci>,
        communes: Vec<Commune>,
        aliases: Vec<Alias>,
    ) -> Territory {
        let by_code = communes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code.clone(), i as u32))
            .collect();
        let mut aliases_by_code: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, a) in aliases.iter().enumerate() {
            aliases_by_code
                .entry(a.code.clone())
                .or_default()
                .push(i as u32);
        }
        let departement_by_code = departements
            .iter()
            .enumerate()
            .map(|(i, d)| (d.code.clone(), i as u16))
            .collect();
        let region_by_code = regions
            .iter()
            .enumerate()
            .map(|(i, r)| (r.code.clone(), i as u16))
            .collect();
        let epci_by_siren = epcis
            .iter()
            .enumerate()
            .map(|(i, e)| (e.siren.clone(), i as u16))
            .collect();
        let mut epci_members = vec![Vec::new(); epcis.len()];
        for (i, c) in communes.iter().enumerate() {
            if let Some(members) = c.epci.and_then(|e| epci_members.get_mut(usize::from(e))) {
                members.push(i as u32);
            }
        }
        let search = search::SearchKeys::build(&communes, &aliases);
        Territory {
            regions,
            departements,
            epcis,
            communes,
            aliases,
            by_code,
            aliases_by_code,
            departement_by_code,
            region_by_code,
            epci_by_siren,
            epci_members,
            search,
        }
    }

    /// Reads the compact index produced by [`build`].
    pub fn from_index(text: &str) -> Result<Territory, TerritoryError> {
        let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
        match lines.next() {
            Some((_, header)) if header.trim_end() == INDEX_HEADER => {}
            _ => return Err(TerritoryError::BadHeader),
        }
        let (mut regions, mut departements, mut epcis, mut communes) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut pending_aliases: Vec<(String, String, String, AliasKind)> = Vec::new();
        while let Some((i, line)) = lines.next() {
            if line.is_empty() {
                continue;
            }
            let bad = |problem: &str| TerritoryError::BadLine {
                line: i,
                problem: problem.to_owned(),
            };
            let fields: Vec<&str> = line.split('\t').collect();
            match (fields[0], fields.len()) {
                ("R", 3) => regions.push(Region {
                    code: fields[1].into(),
                    name: fields[2].into(),
                }),
                ("D", 4) => departements.push(Departement {
                    code: fields[1].into(),
                    region: fields[2].into(),
                    name: fields[3].into(),
                }),
                ("E", 4) => epcis.push(Epci {
                    siren: fields[1].into(),
                    kind: fields[2].into(),
                    name: fields[3].into(),
                }),
                ("C", 2) => {
                    let count: usize = fields[1]
                        .parse()
                        .map_err(|_| bad("number of communes is not a number"))?;
                    communes = read_communes(&mut lines, count, epcis.len())?;
                }
                ("A", 5) => {
                    let kind = AliasKind::from_letter(fields[4])
                        .ok_or_else(|| bad("unknown alias kind"))?;
                    pending_aliases.push((
                        fields[1].into(),
                        fields[2].into(),
                        fields[3].into(),
                        kind,
                    ));
                }
                _ => return Err(bad("unexpected record")),
            }
        }
        let by_code = positions_by_code(&communes);
        let aliases = pending_aliases
            .into_iter()
            .filter_map(|(code, name, parent, kind)| {
                by_code.get(parent.as_str()).map(|&commune| Alias {
                    code,
                    name,
                    commune,
                    kind,
                })
            })
            .collect();
        Ok(Territory::from_parts(
            regions,
            departements,
            epcis,
            communes,
            aliases,
        ))
    }

    /// Writes the compact index read by [`Territory::from_index`].
    pub fn to_index(&self) -> String {
        use std::fmt::Write;
        let mut out = String::with_capacity(self.communes.len() * 40);
        out.push_str(INDEX_HEADER);
        out.push('\n');
        for r in &self.regions {
            let _ = writeln!(out, "R\t{}\t{}", r.code, r.name);
        }
        for d in &self.departements {
            let _ = writeln!(out, "D\t{}\t{}\t{}", d.code, d.region, d.name);
        }
        for e in &self.epcis {
            let _ = writeln!(out, "E\t{}\t{}\t{}", e.siren, e.kind, e.name);
        }
        let _ = writeln!(out, "C\t{}", self.communes.len());
        let mut previous = "";
        for c in &self.communes {
            let _ = writeln!(out, "{}", shorten_code(previous, &c.code));
            previous = &c.code;
        }
        for c in &self.communes {
            let _ = writeln!(out, "{}", c.name);
        }
        for c in &self.communes {
            let _ = writeln!(out, "{}", c.epci.map(|e| e.to_string()).unwrap_or_default());
        }
        for c in &self.communes {
            let _ = writeln!(out, "{}", c.size);
        }
        for c in &self.communes {
            let prefix = c.code.get(..2).unwrap_or_default();
            let postcodes: Vec<&str> = c
                .postcodes
                .iter()
                .map(|p| match p.strip_prefix(prefix) {
                    Some(rest) if p.len() == 5 => rest,
                    _ => p.as_str(),
                })
                .collect();
            let _ = writeln!(out, "{}", postcodes.join(","));
        }
        for a in &self.aliases {
            let parent = &self.communes[a.commune as usize].code;
            let _ = writeln!(
                out,
                "A\t{}\t{}\t{parent}\t{}",
                a.code,
                a.name,
                a.kind.letter()
            );
        }
        out
    }

    /// The current commune with this INSEE code (a déléguée or arrondissement code resolves to
    /// its current commune).
    pub fn commune(&self, code: &str) -> Option<CommuneInfo<'_>> {
        let index = self.current_index(code)?;
        Some(self.info(index))
    }

    /// `true` when `code` is the INSEE code of a current commune (not a former or delegated one).
    pub fn is_current_commune(&self, code: &str) -> bool {
        self.by_code.contains_key(code)
    }

    /// The alias records (déléguée, associée, arrondissement) with this code.
    pub fn aliases_with_code(&self, code: &str) -> impl Iterator<Item = &Alias> {
        self.aliases_by_code
            .get(code)
            .into_iter()
            .flatten()
            .map(|&i| &self.aliases[i as usize])
    }

    fn current_index(&self, code: &str) -> Option<u32> {
        self.by_code.get(code).copied().or_else(|| {
            self.aliases_by_code
                .get(code)?
                .first()
                .map(|&a| self.aliases[a as usize].commune)
        })
    }

    pub(crate) fn info(&self, index: u32) -> CommuneInfo<'_> {
        let commune = &self.communes[index as usize];
        let epci = commune.epci.and_then(|e| self.epcis.get(usize::from(e)));
        let departement = self.departement(departement_of(&commune.code));
        let region = departement.and_then(|d| self.region(&d.region));
        CommuneInfo {
            commune,
            epci,
            departement,
            region,
        }
    }

    pub fn epci(&self, siren: &str) -> Option<&Epci> {
        self.epci_by_siren
            .get(siren)
            .map(|&i| &self.epcis[usize::from(i)])
    }

    pub fn departement(&self, code: &str) -> Option<&Departement> {
        self.departement_by_code
            .get(code)
            .map(|&i| &self.departements[usize::from(i)])
    }

    pub fn region(&self, code: &str) -> Option<&Region> {
        self.region_by_code
            .get(code)
            .map(|&i| &self.regions[usize::from(i)])
    }

    /// The current communes of an EPCI.
    pub fn epci_communes(&self, siren: &str) -> Vec<&Commune> {
        self.epci_by_siren
            .get(siren)
            .and_then(|&i| self.epci_members.get(usize::from(i)))
            .map(|members| {
                members
                    .iter()
                    .map(|&c| &self.communes[c as usize])
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Communes, names and postcodes matching what a citizen typed (see [`search`]).
    pub fn search(&self, query: &str, limit: usize) -> Vec<CommuneMatch<'_>> {
        search::search(self, query, limit)
    }
}

#[cfg(test)]
mod index_format_tests {
    use super::{Territory, expand_code, shorten_code};

    #[test]
    fn insee_codes_shorten_to_the_difference_within_a_departement_and_expand_back() {
        let cases = [
            ("", "01001", "01001"),
            ("01001", "01002", "1"),
            ("01002", "01004", "2"),
            ("01999", "02001", "02001"),
            ("2A004", "2A006", "2"),
            ("2A350", "2B002", "2B002"),
            ("97101", "97102", "1"),
            ("45155", "45155", "45155"),
            ("45200", "45100", "45100"),
        ];
        for (previous, code, written) in cases {
            assert_eq!(shorten_code(previous, code), written, "{previous} → {code}");
            assert_eq!(expand_code(previous, written).as_deref(), Some(code));
        }
        assert_eq!(expand_code("01998", "5"), None, "no code past 999");
        assert_eq!(
            expand_code("", "5"),
            None,
            "a difference needs a previous code"
        );
    }

    #[test]
    fn a_truncated_commune_block_is_refused_with_its_line() {
        let index = "#guichet-territory\t2\nC\t2\n01001\n1\nL'Abergement\n";
        assert!(matches!(
            Territory::from_index(index),
            Err(super::TerritoryError::BadLine { .. })
        ));
    }

    #[test]
    fn postcodes_lose_only_their_departement_prefix() {
        let index = "#guichet-territory\t2\nR\t84\tAuvergne-Rhône-Alpes\nD\t01\t84\tAin\nE\t200000172\tCC\tCC X\nC\t2\n01001\n1\nA\nB\n0\n\n19\n16\n400\n01640,38100\n";
        let t = Territory::from_index(index).unwrap();
        assert_eq!(t.communes[0].postcodes, ["01400"]);
        assert_eq!(t.communes[1].code, "01002");
        assert_eq!(t.communes[1].postcodes, ["01640", "38100"]);
        assert_eq!(t.communes[1].epci, None);
        assert_eq!(
            Territory::from_index(&t.to_index()).unwrap().communes,
            t.communes
        );
    }
}
