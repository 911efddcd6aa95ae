//! Benchmarks of the core's hot paths (budgets in docs/benchmarks.md):
//! service search over a generated 10,000-service catalogue (index build ≤ 100 ms, a query ≤ 1 ms;
//! a question, and a query answered only approximately, included),
//! commune search over the 34,969 real communes (≤ 1 ms), and reading the territory index.
//!
//! Run with `cargo bench -p catalogue` or `cargo xtask bench catalogue`.

use catalogue::Service;
use catalogue::labels::{Category, LifeEvent};
use catalogue::model::{Channels, Counter};
use catalogue::search::{SearchIndex, SearchOptions};
use catalogue::territory::build::load_for_tools;
use catalogue::values::Text;
use criterion::{BenchmarkId, Criterion, black_box, criterion_group, criterion_main};
use std::path::Path;

/// French words of public services, combined into plausible titles and summaries.
const WORDS: &[&str] = &[
    "acte",
    "naissance",
    "mariage",
    "décès",
    "inscription",
    "école",
    "cantine",
    "périscolaire",
    "encombrants",
    "déchèterie",
    "badge",
    "composteur",
    "eau",
    "assainissement",
    "abonnement",
    "compteur",
    "permis",
    "construire",
    "déclaration",
    "travaux",
    "urbanisme",
    "transport",
    "scolaire",
    "allocation",
    "autonomie",
    "handicap",
    "prestation",
    "carte",
    "stationnement",
    "résident",
    "salle",
    "réservation",
    "subvention",
    "association",
    "manifestation",
    "voirie",
    "terrasse",
    "crèche",
    "assistant",
    "maternel",
    "agrément",
    "logement",
    "solidarité",
    "aide",
    "énergie",
    "facture",
    "piscine",
    "médiathèque",
    "musée",
    "sport",
    "licence",
    "marché",
    "commerce",
    "taxe",
    "séjour",
    "cimetière",
    "concession",
    "recensement",
    "élections",
    "vote",
];

fn generated_services(n: usize) -> Vec<Service> {
    let mut seed: u64 = 7;
    let mut next = move || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) as usize
    };
    (0..n)
        .map(|i| {
            let mut words = |k: usize| {
                (0..k)
                    .map(|_| WORDS[next() % WORDS.len()])
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            Service {
                id: format!("m{}/service-{i}", i % 500),
                member: format!("m{}", i % 500),
                title: Text::fr(format!("{} {}", words(3), i)),
                summary: Text::fr(words(14)),
                description: None,
                description_blocks: Vec::new(),
                category: Category::ALL[i % Category::ALL.len()],
                life_events: vec![LifeEvent::ALL[i % LifeEvent::ALL.len()]],
                keywords: words(4).split(' ').map(String::from).collect(),
                channels: Channels {
                    counter: Some(Counter::default()),
                    ..Channels::default()
                },
                cost: None,
                cost_note: None,
                processing_time: None,
                evidence: Vec::new(),
                output: None,
                eligibility: None,
                more_info: None,
            }
        })
        .collect()
}

fn service_search(c: &mut Criterion) {
    let services = generated_services(10_000);
    c.bench_function("service index build (10k services)", |b| {
        b.iter(|| SearchIndex::build(black_box(&services)))
    });
    let index = SearchIndex::build(&services);
    let mut group = c.benchmark_group("service query (10k services)");
    for query in [
        "encombrants",
        "encom",
        "inscriptoin ecole",
        "transport scolaire",
        "aide logement énergie",
        "comment faire pour inscrire mon enfant à la cantine",
        "piscine pour un anniversaire",
        "zzzz",
    ] {
        group.bench_with_input(BenchmarkId::from_parameter(query), query, |b, q| {
            b.iter(|| index.search(black_box(q), &SearchOptions::default()))
        });
    }
    group.finish();
}

fn commune_search(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let territory =
        load_for_tools(&root).expect("territory data (run `npm ci` and `cargo xtask territory`)");
    let index_text = territory.to_index();
    c.bench_function("territory index read (34,969 communes)", |b| {
        b.iter(|| catalogue::Territory::from_index(black_box(&index_text)))
    });
    let mut group = c.benchmark_group("commune query");
    for query in [
        "g",
        "gien",
        "saint",
        "st jean de br",
        "45500",
        "75",
        "2A004",
        "braye",
    ] {
        group.bench_with_input(BenchmarkId::from_parameter(query), query, |b, q| {
            b.iter(|| territory.search(black_box(q), 10))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(2)).warm_up_time(std::time::Duration::from_millis(500));
    targets = service_search, commune_search
}
criterion_main!(benches);
