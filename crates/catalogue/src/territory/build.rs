//! Building the territory from the official COG JSON (native only).
//!
//! `communes.json` has no EPCI field, so the commune → EPCI link comes from `epci.json`'s
//! `membres`. Communes déléguées and associées point to their current commune (`chefLieu`),
//! arrondissements municipaux to theirs (`commune`). The index is written once per build
//! (`cargo xtask territory`) and never committed: it is derived data.

use super::{Alias, AliasKind, Commune, Departement, Epci, Region, Territory, TerritoryError};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
struct CogCommune {
    code: String,
    nom: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(rename = "chefLieu")]
    chef_lieu: Option<String>,
    commune: Option<String>,
    #[serde(rename = "codesPostaux", default)]
    codes_postaux: Vec<String>,
    population: Option<u32>,
}

#[derive(Deserialize)]
struct CogEpci {
    code: String,
    nom: String,
    #[serde(rename = "type")]
    kind: String,
    membres: Vec<CogMember>,
}

#[derive(Deserialize)]
struct CogMember {
    code: String,
}

#[derive(Deserialize)]
struct CogDepartement {
    code: String,
    region: String,
    nom: String,
}

#[derive(Deserialize)]
struct CogRegion {
    code: String,
    nom: String,
}

fn read<T: serde::de::DeserializeOwned>(dir: &Path, name: &str) -> Result<T, TerritoryError> {
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        TerritoryError::Source(format!(
            "{}: {e}; run `npm ci` at the repository root",
            path.display()
        ))
    })?;
    serde_json::from_str(&text)
        .map_err(|e| TerritoryError::Source(format!("{}: {e}", path.display())))
}

/// Builds the territory from the `data/` folder of `@etalab/decoupage-administratif`.
pub fn from_cog_dir(dir: &Path) -> Result<Territory, TerritoryError> {
    let cog_communes: Vec<CogCommune> = read(dir, "communes.json")?;
    let cog_epcis: Vec<CogEpci> = read(dir, "epci.json")?;
    let cog_departements: Vec<CogDepartement> = read(dir, "departements.json")?;
    let cog_regions: Vec<CogRegion> = read(dir, "regions.json")?;

    let regions = cog_regions
        .into_iter()
        .map(|r| Region {
            code: r.code,
            name: r.nom,
        })
        .collect();
    let departements = cog_departements
        .into_iter()
        .map(|d| Departement {
            code: d.code,
            region: d.region,
            name: d.nom,
        })
        .collect();
    let (epcis, epci_of) = epcis_and_members(cog_epcis);
    let communes = current_communes(&cog_communes, &epci_of);
    let aliases = aliases(&cog_communes, &communes);
    Ok(Territory::from_parts(
        regions,
        departements,
        epcis,
        communes,
        aliases,
    ))
}

/// The EPCIs, and each member commune's EPCI (its position in the list): `communes.json` does
/// not say which EPCI a commune belongs to, `epci.json`'s `membres` does.
fn epcis_and_members(cog_epcis: Vec<CogEpci>) -> (Vec<Epci>, HashMap<String, u16>) {
    let mut epci_of: HashMap<String, u16> = HashMap::new();
    let epcis = cog_epcis
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            for m in &e.membres {
                epci_of.insert(m.code.clone(), i as u16);
            }
            Epci {
                siren: e.code,
                kind: e.kind,
                name: e.nom,
            }
        })
        .collect();
    (epcis, epci_of)
}

/// The communes as they are today, sorted by INSEE code.
fn current_communes(cog_communes: &[CogCommune], epci_of: &HashMap<String, u16>) -> Vec<Commune> {
    let mut communes: Vec<Commune> = cog_communes
        .iter()
        .filter(|c| c.kind == "commune-actuelle")
        .map(|c| Commune {
            code: c.code.clone(),
            name: c.nom.clone(),
            epci: epci_of.get(&c.code).copied(),
            size: super::size_class(c.population.unwrap_or(0)),
            postcodes: c.codes_postaux.clone(),
        })
        .collect();
    communes.sort_by(|a, b| a.code.cmp(&b.code));
    communes
}

/// The other names a current commune is known by: its communes déléguées and associées (through
/// `chefLieu`) and its arrondissements municipaux (through `commune`).
fn aliases(cog_communes: &[CogCommune], communes: &[Commune]) -> Vec<Alias> {
    let index = super::positions_by_code(communes);
    cog_communes
        .iter()
        .filter_map(|c| {
            let (kind, parent) = match c.kind.as_str() {
                "commune-deleguee" => (AliasKind::Deleguee, c.chef_lieu.as_deref()?),
                "commune-associee" => (AliasKind::Associee, c.chef_lieu.as_deref()?),
                "arrondissement-municipal" => (AliasKind::Arrondissement, c.commune.as_deref()?),
                _ => return None,
            };
            let commune = *index.get(parent)?;
            // A commune déléguée that shares its name and code with its commune nouvelle adds nothing.
            let current = &communes[commune as usize];
            if current.code == c.code && current.name == c.nom {
                return None;
            }
            Some(Alias {
                code: c.code.clone(),
                name: c.nom.clone(),
                commune,
                kind,
            })
        })
        .collect()
}

/// Where the COG data is expected, relative to the repository root.
pub const COG_DIR: &str = "node_modules/@etalab/decoupage-administratif/data";
/// Where the generated index is written, relative to the repository root.
pub const INDEX_PATH: &str = "public/data/territory.idx";

/// Loads the territory for native tools: `$GUICHET_TERRITORY_INDEX`, else `public/data/territory.idx`,
/// else built in memory from the COG data in `node_modules` — looking in `root` and its parents.
pub fn load_for_tools(start: &Path) -> Result<Territory, TerritoryError> {
    if let Some(path) = std::env::var_os("GUICHET_TERRITORY_INDEX") {
        let path = PathBuf::from(path);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| TerritoryError::Source(format!("{}: {e}", path.display())))?;
        return Territory::from_index(&text);
    }
    for dir in start.ancestors() {
        let index = dir.join(INDEX_PATH);
        if let Ok(text) = std::fs::read_to_string(&index) {
            return Territory::from_index(&text);
        }
        let cog = dir.join(COG_DIR);
        if cog.join("communes.json").exists() {
            return from_cog_dir(&cog);
        }
    }
    Err(TerritoryError::Source(
        "not found: no public/data/territory.idx and no COG data in node_modules; run `npm ci` at the repository root".into(),
    ))
}

/// Builds the index from `cog_dir` and writes it to `out`.
pub fn generate_index(cog_dir: &Path, out: &Path) -> Result<Territory, TerritoryError> {
    let territory = from_cog_dir(cog_dir)?;
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| TerritoryError::Source(format!("{}: {e}", parent.display())))?;
    }
    std::fs::write(out, territory.to_index())
        .map_err(|e| TerritoryError::Source(format!("{}: {e}", out.display())))?;
    Ok(territory)
}
