// `cargo xtask bench search`: Guichet's service search against MiniSearch 7.2.0 and FlexSearch 0.8
// in the same Chromium page, over the same services and the same fields.
//
// 1. Relevance on the judged query set (crates/catalogue/tests/queries): recall@5, success@1, MRR
//    and junk (every result returned for a question no service answers), per kind of query, for
//    the tuning and held-out parts, over the demo federation (services.toml + fragments, parsed by
//    the catalogue crate exactly as the portal does).
// 2. Per-keystroke latency over a generated federation of 10,000 services: realistic queries typed
//    one character at a time; each keystroke is one search call (query string → the first ten ids)
//    timed with performance.now() in the page, at CPU 1× and 4× (DevTools protocol
//    Emulation.setCPUThrottlingRate). The page is cross-origin isolated (COOP/COEP), so the timer
//    is precise to 5 µs rather than 100 µs. The three engines take turns at every keystroke.
//
// Guichet runs as examples/search_bench.rs compiled to WebAssembly with the portal's profile and
// wasm-opt -Oz (xtask builds it; GUICHET_BENCH_PKG is the wasm-bindgen output). The page is served
// by request interception (no server, no port). Figures: stdout and target/bench/search.json.
// A benchmark, not a test: it fails only when it cannot measure.

import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, extname } from 'node:path';
import { launchBrowser } from '../e2e/harness.mjs';

const ROOT = process.cwd();
const PKG = process.env.GUICHET_BENCH_PKG ?? 'target/bench/search/pkg';
const QUERIES = process.env.GUICHET_BENCH_QUERIES ?? 'target/bench/search/queries.json';
const OUT = process.env.GUICHET_BENCH_OUT ?? 'target/bench';
const REPEATS = Number(process.env.GUICHET_BENCH_REPEATS ?? 5);
const SERVICES = Number(process.env.GUICHET_BENCH_SERVICES ?? 10000);
const ORIGIN = 'http://127.0.0.1:9';

/** What a citizen types, one keystroke at a time. */
const TYPED = [
  'encombrants',
  'inscription école',
  'comment faire pour inscrire ma fille en maternelle',
  'transprot scolaire',
  'acte de naissance',
  'salle des fêtes',
  'obsèques',
  'dechetterie',
  'aide à domicile personne âgée',
  'permis de construire',
];

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};

// ─── the page ────────────────────────────────────────────────────────────────────────────────
const PAGE = `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Recherche : banc d’essai</title>
<link rel="icon" href="data:,"></head><body><main><h1>Recherche : banc d’essai</h1></main>
<script type="module" src="/bench.js"></script></body></html>`;

const BENCH_JS = `
import init, * as guichet from '/pkg/search_bench.js';
import MiniSearch from '/node_modules/minisearch/dist/es/index.js';
import { Document, Encoder, Charset } from '/node_modules/flexsearch/dist/flexsearch.bundle.module.min.mjs';
import FrenchPreset from '/node_modules/flexsearch/dist/module/lang/fr.js';

// Same fields for every engine; boosts in the proportions of Guichet's field weights
// (title 10, keywords 7, life events 5, theme 3, summary 3, description 1.5).
const FIELDS = ['title', 'keywords', 'life_events', 'category', 'summary', 'description'];
const BOOST = { title: 3.3, keywords: 2.3, life_events: 1.7, category: 1, summary: 1, description: 0.5 };
const fold = (s) => s.normalize('NFD').replace(/\\p{Diacritic}/gu, '').toLowerCase();
// Snowball's French stop words (the list FlexSearch's French preset ships), folded.
const STOP = new Set([...FrenchPreset.filter].map(fold));

let docs = [];
let mini, flex;

function buildOthers() {
  // MiniSearch, as its documentation recommends for a search box: prefix and fuzzy (0.2)
  // matching, terms folded (accents, case) and stop words dropped in processTerm; field boosts.
  mini = new MiniSearch({
    fields: FIELDS,
    storeFields: [],
    processTerm: (term) => { const t = fold(term); return STOP.has(t) ? null : t; },
    searchOptions: { prefix: true, fuzzy: 0.2, boost: BOOST },
  });
  mini.addAll(docs.map((d, i) => ({ ...d, id: i })));
  // FlexSearch, as its "Fuzzy-Search" section recommends: forward tokenizer, the LatinBalance
  // encoder with the French language pack, and suggestions (partial matches) when searching.
  const encoder = new Encoder(Charset.LatinBalance, FrenchPreset);
  flex = new Document({
    document: { id: 'id', index: FIELDS.map((field) => ({ field, tokenize: 'forward', encoder })) },
  });
  docs.forEach((d, i) => flex.add({ ...d, id: i }));
}

function miniSearch(q, limit) {
  return mini.search(q).slice(0, limit).map((r) => r.id);
}

// FlexSearch returns one ranked list per field: merged with the same boosts (reciprocal rank).
function flexSearch(q, limit) {
  const perField = flex.search(q, { limit: 20, suggest: true });
  const score = new Map();
  for (const { field, result } of perField) {
    result.forEach((id, rank) => score.set(id, (score.get(id) ?? 0) + BOOST[field] / (rank + 1)));
  }
  return [...score.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([id]) => id);
}

function guichetSearch(q, limit) {
  return Array.from(guichet.search(q, limit), (x) => x & 0x7fffffff);
}

const ENGINES = { guichet: guichetSearch, minisearch: miniSearch, flexsearch: flexSearch };

window.bench = {
  async start() { await init(); return { isolated: self.crossOriginIsolated }; },
  loadCatalogue(root, fragments) {
    docs = JSON.parse(guichet.load_catalogue(root, JSON.stringify(fragments)));
    buildOthers();
    return docs.map((d) => d.id);
  },
  docs() { return docs; },
  loadGenerated(services) {
    const t0 = performance.now();
    docs = JSON.parse(guichet.load_services(JSON.stringify(services)));
    const t1 = performance.now();
    buildOthers();
    return { count: docs.length, guichetBuildMs: t1 - t0 };
  },
  // Results of every engine for every query: { engine: [[ids…] per query] }, plus Guichet's
  // approximate flags.
  answers(queries) {
    const out = { approximate: [] };
    for (const [name, run] of Object.entries(ENGINES)) out[name] = queries.map((q) => run(q, 10));
    out.approximate = queries.map((q) => Array.from(guichet.search(q, 10), (x) => x >>> 31 === 1));
    return out;
  },
  // Times every keystroke of every sequence, engines taking turns: { engine: [ms…] }.
  keystrokes(sequences, repeats) {
    const names = Object.keys(ENGINES);
    const times = Object.fromEntries(names.map((n) => [n, []]));
    let turn = 0;
    for (let r = 0; r < repeats; r++) {
      for (const text of sequences) {
        for (let i = 1; i <= text.length; i++) {
          const typed = text.slice(0, i);
          for (let k = 0; k < names.length; k++) {
            const name = names[(turn + k) % names.length];
            const t0 = performance.now();
            const ids = ENGINES[name](typed, 10);
            const t1 = performance.now();
            if (ids.length > 10) throw new Error(name + ' returned too much');
            times[name].push([t1 - t0, typed]);
          }
          turn++;
        }
      }
    }
    return times;
  },
};
`;

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

async function servePage(page) {
  await page.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    let body;
    if (path === '/') body = PAGE;
    else if (path === '/bench.js') body = BENCH_JS;
    else if (path.startsWith('/pkg/')) body = readFileSync(join(PKG, path.slice(5)));
    else if (path.startsWith('/node_modules/minisearch/') || path.startsWith('/node_modules/flexsearch/')) {
      body = readFileSync(join(ROOT, path));
    } else return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({
      status: 200,
      body,
      headers: {
        'content-type': TYPES[extname(path)] ?? 'text/html',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
        'cross-origin-resource-policy': 'same-origin',
      },
    });
  });
}

// ─── relevance ───────────────────────────────────────────────────────────────────────────────
const slugOf = (id) => id.split('/')[1];

function score(query, ids, all) {
  const slugs = [];
  for (const i of ids) {
    const slug = slugOf(all[i]);
    if (!slugs.includes(slug)) slugs.push(slug);
  }
  if (query.expect.length === 0) return { junk: slugs.length, answerable: 0 };
  const relevant = (s) => query.expect.includes(s);
  const found = slugs.slice(0, 5).filter(relevant).length;
  const first = slugs.slice(0, 10).findIndex(relevant);
  return {
    answerable: 1,
    recall: found / Math.min(5, query.expect.length),
    success: first === 0 ? 1 : 0,
    rr: first >= 0 ? 1 / (first + 1) : 0,
    junk: 0,
    empty: slugs.length === 0 ? 1 : 0,
  };
}

function summarise(queries, answers, all) {
  const table = {};
  for (const engine of ['guichet', 'minisearch', 'flexsearch']) {
    const rows = {};
    queries.forEach((q, i) => {
      const s = score(q, answers[engine][i], all);
      // `earlier`: the three parts the figures of docs/benchmarks.md were first given on, so a
      // change of the whole set by a new part is not read as a change of the engine.
      const earlier = q.part === 'held-out-blind-2' ? [] : [`earlier/${q.kind}`, 'earlier/all'];
      for (const key of [`${q.part}/${q.kind}`, `${q.part}/all`, `all/${q.kind}`, 'all/all', ...earlier]) {
        const row = (rows[key] ??= { queries: 0, answerable: 0, recall: 0, success: 0, rr: 0, junk: 0, junkQueries: 0, empty: 0 });
        row.queries += 1;
        row.answerable += s.answerable;
        row.recall += s.recall ?? 0;
        row.success += s.success ?? 0;
        row.rr += s.rr ?? 0;
        row.empty += s.empty ?? 0;
        row.junk += s.junk;
        row.junkQueries += s.junk > 0 ? 1 : 0;
      }
    });
    for (const row of Object.values(rows)) {
      const n = row.answerable || NaN;
      row.recall /= n; row.success /= n; row.rr /= n;
    }
    table[engine] = rows;
  }
  return table;
}

function printRelevance(table, guichetApproximate) {
  const fmt = (x) => (Number.isNaN(x) ? '  —  ' : x.toFixed(3));
  const keys = Object.keys(table.guichet).sort();
  console.log('\nRelevance (recall@5 / success@1 / MRR; junk = results on unanswerable queries):');
  console.log(`${'part/kind'.padEnd(26)} ${'Guichet'.padEnd(28)} ${'MiniSearch'.padEnd(28)} FlexSearch`);
  for (const key of keys) {
    const cells = ['guichet', 'minisearch', 'flexsearch'].map((e) => {
      const r = table[e][key];
      return key.endsWith('/unanswerable')
        ? `junk ${r.junk} (${r.junkQueries}/${r.queries} queries)`.padEnd(28)
        : `${fmt(r.recall)} / ${fmt(r.success)} / ${fmt(r.rr)}`.padEnd(28);
    });
    console.log(`${key.padEnd(26)} ${cells.join(' ')}`);
  }
  console.log(`Guichet results labelled approximate: ${guichetApproximate}`);
}

// ─── generated federation ────────────────────────────────────────────────────────────────────
function communeNames(count) {
  // The COG as the territory index is built from (its file format is the portal's business).
  const cog = JSON.parse(read('node_modules/@etalab/decoupage-administratif/data/communes.json'));
  const names = cog
    .filter((c) => c.type === 'commune-actuelle' && (c.departement === '14' || c.departement === '45'))
    .map((c) => c.nom)
    .slice(0, count);
  if (names.length < count) throw new Error('too few communes in the COG: run `npm ci`');
  return names;
}

/** `count` services recombined from the demo's, for 500 communes, with deterministic variety. */
function generate(demo, count) {
  let seed = 7;
  const next = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed; };
  const vocabulary = [...new Set(demo.flatMap((d) => `${d.summary} ${d.keywords}`.split(/[^\p{L}]+/u)).values())]
    .filter((w) => w.length > 3);
  const communes = communeNames(500);
  const services = [];
  for (let i = 0; i < count; i++) {
    const base = demo[i % demo.length];
    const commune = communes[Math.floor(i / demo.length) % communes.length];
    const extra = [vocabulary[next() % vocabulary.length], vocabulary[next() % vocabulary.length]];
    services.push({
      id: `m${i % 500}/${slugOf(base.id)}-${i}`,
      title: next() % 3 === 0 ? `${base.title} à ${commune}` : base.title,
      summary: `${base.summary} Pour les habitants de ${commune}.`,
      description: base.description,
      keywords: [...base.keywords.split(' ; ').filter(Boolean), ...extra],
      category: base.category_id,
      life_events: base.life_event_ids,
      online: base.online,
    });
  }
  return services;
}

// ─── run ─────────────────────────────────────────────────────────────────────────────────────
const queries = JSON.parse(readFileSync(QUERIES, 'utf8'));
const read = (path) => readFileSync(join(ROOT, path), 'utf8');
const fragments = [
  { member: 'cc-giennoises', name: 'catalogue/cc-giennoises.toml', text: read('public/catalogue/cc-giennoises.toml') },
  { member: 'cc-coeur-cote-fleurie', name: 'catalogue/cc-coeur-cote-fleurie.toml', text: read('public/catalogue/cc-coeur-cote-fleurie.toml') },
];

const browser = await launchBrowser();
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await servePage(page);
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => window.bench !== undefined);
  const { isolated } = await page.evaluate(() => window.bench.start());
  console.log(`page cross-origin isolated (5 µs timer): ${isolated}`);

  const ids = await page.evaluate(([root, f]) => window.bench.loadCatalogue(root, f), [read('services.toml'), fragments]);
  const answers = await page.evaluate((q) => window.bench.answers(q), queries.map((q) => q.text));
  const relevance = summarise(queries, answers, ids);
  const approximateCount = answers.approximate.flat().filter(Boolean).length;
  console.log(`\n${ids.length} services of the demo federation; ${queries.length} judged queries (${queries.filter((q) => q.part === 'tuning').length} tuning, ${queries.filter((q) => q.part === 'held-out').length} held-out, ${queries.filter((q) => q.part === 'held-out-fresh').length} fresh held-out, ${queries.filter((q) => q.part === 'held-out-blind-2').length} second blind)`);
  printRelevance(relevance, approximateCount);

  const base = await page.evaluate(() => window.bench.docs());
  const generated = generate(base, SERVICES);
  const load = await page.evaluate((s) => window.bench.loadGenerated(s), generated);
  console.log(`\nGenerated federation: ${load.count} services (Guichet index built in ${load.guichetBuildMs.toFixed(0)} ms in the page)`);

  const client = await context.newCDPSession(page);
  const latency = {};
  for (const rate of [1, 4]) {
    await client.send('Emulation.setCPUThrottlingRate', { rate });
    await page.evaluate(([s]) => window.bench.keystrokes(s, 1), [TYPED]); // warm-up
    const times = await page.evaluate(([s, r]) => window.bench.keystrokes(s, r), [TYPED, REPEATS]);
    latency[`${rate}x`] = Object.fromEntries(Object.entries(times).map(([engine, timed]) => {
      const t = timed.map(([ms]) => ms);
      const slowest = [...timed].sort((a, b) => b[0] - a[0]).slice(0, 5).map(([ms, typed]) => `${ms.toFixed(1)} ms « ${typed} »`);
      return [engine, { keystrokes: t.length, p50: percentile(t, 50), p95: percentile(t, 95), max: Math.max(...t), slowest }];
    }));
  }
  await client.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  const keystrokes = TYPED.reduce((n, t) => n + t.length, 0);
  console.log(`\nPer keystroke over ${load.count} services (${keystrokes} keystrokes × ${REPEATS}; ms, p50 / p95 / max):`);
  for (const [rate, engines] of Object.entries(latency)) {
    const cells = Object.entries(engines).map(([e, s]) => `${e} ${s.p50.toFixed(3)} / ${s.p95.toFixed(3)} / ${s.max.toFixed(2)}`);
    console.log(`  CPU ${rate}: ${cells.join('   ')}`);
    for (const [e, st] of Object.entries(engines)) console.log(`    slowest ${e}: ${st.slowest.join(', ')}`);
  }
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'search.json'), JSON.stringify({ isolated, services: ids.length, relevance, approximateCount, generated: load, latency, typed: TYPED, repeats: REPEATS }, null, 2));
  console.log(`\nsaved ${join(OUT, 'search.json')}`);
} finally {
  await browser.close();
}
