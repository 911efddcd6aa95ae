//! Guichet's service search on its own in WebAssembly, for `cargo xtask bench search`: the
//! benchmark page loads this module next to MiniSearch and FlexSearch and asks all three the same
//! queries over the same services.
//!
//! Built with the portal's profile (`wasm-release`) and `wasm-opt -Oz`, so what is measured is the
//! code citizens run. The page gives the catalogue as the portal reads it (TOML files, parsed here
//! by the same code) or generated services; this module returns the texts every engine indexes
//! (labels rather than ids), so the three engines get the same fields.

use catalogue::labels::{Category, LifeEvent};
use catalogue::model::{Channels, Counter, Online, Service};
use catalogue::parse::{ParseOptions, parse_fragment, parse_root};
use catalogue::search::{SearchIndex, SearchOptions};
use catalogue::validate::merge_fragment;
use catalogue::values::Text;
use catalogue::values::markdown::{Block, Inline, plain_text};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    static INDEX: RefCell<SearchIndex> = RefCell::new(SearchIndex::default());
}

/// A member's catalogue fragment, as the page read it.
#[derive(Deserialize)]
struct Fragment {
    member: String,
    name: String,
    text: String,
}

/// A generated service (ids for the theme and life events).
#[derive(Deserialize)]
struct Generated {
    id: String,
    title: String,
    summary: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    keywords: Vec<String>,
    category: String,
    #[serde(default)]
    life_events: Vec<String>,
    #[serde(default)]
    online: bool,
}

/// What every engine indexes, field by field.
#[derive(Serialize)]
struct Fields {
    id: String,
    title: String,
    keywords: String,
    life_events: String,
    category: String,
    summary: String,
    description: String,
    /// For generating services from these.
    category_id: &'static str,
    life_event_ids: Vec<&'static str>,
    online: bool,
}

fn fields(service: &Service) -> Fields {
    Fields {
        id: service.id.clone(),
        title: service.title.fr.clone(),
        keywords: service.keywords.join(" ; "),
        life_events: service
            .life_events
            .iter()
            .map(|e| format!("{} {}", e.label_fr(), e.id()))
            .collect::<Vec<_>>()
            .join(" ; "),
        category: service.category.label_fr().to_owned(),
        summary: service.summary.fr.clone(),
        description: plain_text(&service.description_blocks),
        category_id: service.category.id(),
        life_event_ids: service.life_events.iter().map(|e| e.id()).collect(),
        online: service.form().is_some(),
    }
}

/// Indexes `services` and returns their fields as JSON.
fn index(services: &[Service]) -> Result<String, JsError> {
    INDEX.set(SearchIndex::build(services));
    let all: Vec<Fields> = services.iter().map(fields).collect();
    serde_json::to_string(&all).map_err(|e| JsError::new(&e.to_string()))
}

/// Parses a root catalogue and its fragments (JSON `[{member, name, text}]`) like the portal,
/// indexes the services and returns their fields (JSON), in index order.
#[wasm_bindgen]
pub fn load_catalogue(root: &str, fragments: &str) -> Result<String, JsError> {
    let parsed = parse_root("services.toml", root, ParseOptions::dev());
    let mut problems: Vec<String> = parsed.diagnostics.iter().map(ToString::to_string).collect();
    let mut locations = parsed.locations;
    let mut catalogue = parsed
        .value
        .ok_or_else(|| JsError::new(&problems.join("\n")))?;
    let fragments: Vec<Fragment> =
        serde_json::from_str(fragments).map_err(|e| JsError::new(&e.to_string()))?;
    for f in fragments {
        let parsed = parse_fragment(&f.name, &f.text, &f.member, ParseOptions::dev());
        for d in merge_fragment(&mut catalogue, &mut locations, parsed) {
            problems.push(d.to_string());
        }
    }
    if !problems.is_empty() {
        return Err(JsError::new(&problems.join("\n")));
    }
    index(&catalogue.services)
}

/// Indexes generated services (JSON) and returns their fields (JSON), in index order.
#[wasm_bindgen]
pub fn load_services(generated: &str) -> Result<String, JsError> {
    let generated: Vec<Generated> =
        serde_json::from_str(generated).map_err(|e| JsError::new(&e.to_string()))?;
    let services: Vec<Service> = generated.into_iter().map(service).collect();
    index(&services)
}

fn service(g: Generated) -> Service {
    let member = g.id.split('/').next().unwrap_or_default().to_owned();
    Service {
        member,
        title: Text::fr(g.title),
        summary: Text::fr(g.summary),
        description_blocks: if g.description.is_empty() {
            Vec::new()
        } else {
            vec![Block::Paragraph(vec![Inline::Text(g.description.clone())])]
        },
        description: (!g.description.is_empty()).then(|| Text::fr(g.description)),
        category: Category::from_id(&g.category).unwrap_or(Category::Facilities),
        life_events: g
            .life_events
            .iter()
            .filter_map(|e| LifeEvent::from_id(e))
            .collect(),
        keywords: g.keywords,
        channels: Channels {
            online: g.online.then(|| Online {
                form: "formulaire".into(),
            }),
            counter: Some(Counter::default()),
            ..Channels::default()
        },
        id: g.id,
        cost: None,
        cost_note: None,
        processing_time: None,
        evidence: Vec::new(),
        output: None,
        eligibility: None,
        more_info: None,
    }
}

/// The first `limit` results for `query`, by index; approximate ones have the high bit set.
#[wasm_bindgen]
pub fn search(query: &str, limit: usize) -> Vec<u32> {
    INDEX.with_borrow(|index| {
        index
            .search(
                query,
                &SearchOptions {
                    restrict_to: None,
                    limit,
                },
            )
            .iter()
            .map(|h| h.service as u32 | u32::from(h.approximate) << 31)
            .collect()
    })
}
