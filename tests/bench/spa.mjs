// `cargo xtask bench spa`: what a citizen's browser pays for the portal.
//
// 1. Bytes: the first route (everything the home page needs before it is usable: index.html with
//    its inlined CSS, the main JS, the split loader, the main wasm), and every lazily loaded
//    route's chunks (dist/chunks.json, written by the split build), raw, gzip -9 and brotli q11;
//    and what the browser actually received for the home page before it was usable, by kind.
// 2. First contentful paint and time to interactive of the home page in Chromium with the CPU
//    slowed 4×, on two Slow-4G profiles (DevTools protocol), cold cache: navigation start → the
//    commune chooser and the federation's figures are on screen and no long task runs any more;
//    and the same for deep links to lazily loaded pages (their own chunks on top of the main one).
// 3. Keystroke to results: each keystroke of a scripted sequence is dispatched in the page and
//    timed with performance.now() until the DOM under the results has stopped changing
//    (MutationObserver), for the service search and the commune autocomplete.
//
// It is a benchmark, not a test: it prints and saves figures (target/bench/spa.json) and only
// fails when it cannot measure. Budgets are printed next to the figures.

import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { launchBrowser } from '../e2e/harness.mjs';
import { percentile, median } from './stats.mjs';

const BASE_URL = process.env.GUICHET_BASE_URL ?? 'http://127.0.0.1:8080';
const DIST = process.env.GUICHET_DIST ?? 'dist';
const OUT = process.env.GUICHET_BENCH_OUT ?? 'target/bench';
const RUNS = Number(process.env.GUICHET_BENCH_RUNS ?? 5);

/** Network profiles (download/upload in bytes per second, latency in ms). */
const PROFILES = {
  // Lighthouse's mobile throttling ("Slow 4G"): RTT 150 ms, 1.6 Mbit/s down, 750 kbit/s up.
  'slow-4g': { latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 },
  // Chrome DevTools' "Slow 4G" preset: a harsher 562.5 ms RTT, 1.44 Mbit/s down.
  'devtools-slow-4g': { latency: 562.5, downloadThroughput: (1.44 * 1000 * 1000) / 8, uploadThroughput: (675 * 1000) / 8 },
};

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;


function sizes(name) {
  const bytes = readFileSync(join(DIST, name));
  return {
    name,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length,
  };
}

const sum = (rows) => rows.reduce(
  (t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }),
  { raw: 0, gzip: 0, brotli: 0 },
);

function bundleSizes() {
  const manifest = JSON.parse(readFileSync(join(DIST, 'chunks.json'), 'utf8'));
  const first = ['index.html', manifest.main.js, manifest.main.loader, manifest.main.wasm].map(sizes);
  const routes = Object.entries(manifest.splits).map(([split, files]) => {
    const rows = files.map(sizes);
    const own = rows.filter((r) => r.name.startsWith('split_'));
    return { split, files: rows, total: sum(rows), own: sum(own) };
  });
  return { first: { files: first, total: sum(first) }, routes };
}

/** Pages measured from a cold cache, and what must be on screen (outside the painted shell). */
const PAGES = {
  home: { path: '/', ready: ['[role="combobox"]', '.gu-figures'] },
  commune: { path: '/commune/45155', ready: ['main:not(#gu-shell main) h1', '.gu-levels'] },
  service: { path: '/service/gien/acte-naissance', ready: ['main:not(#gu-shell main) h1', '.gu-channel'] },
  accessibility: { path: '/accessibilite', ready: ['main:not(#gu-shell main) h1'] },
};

/** Records when the page becomes usable, from the very start of the document. */
const READY_PROBE = (selectors) => {
  window.__bench = { longTasks: [], ready: null };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__bench.longTasks.push({ start: e.startTime, end: e.startTime + e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch { /* not supported: no long task figures */ }
  const check = () => {
    if (window.__bench.ready === null && !document.getElementById('gu-shell') && selectors.every((s) => document.querySelector(s))) {
      window.__bench.ready = performance.now();
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true });
};

async function coldLoad(browser, profileName, pageName) {
  const profile = PROFILES[profileName];
  const target = PAGES[pageName];
  const results = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 412, height: 823 }, locale: 'fr-FR', isMobile: true });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, ...profile });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.addInitScript(READY_PROBE, target.ready);
    await page.goto(`${BASE_URL}${target.path}`, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__bench?.ready !== null, null, { timeout: 60000, polling: 50 });
    // Let any long task that started before "ready" finish, then read the figures.
    await page.waitForTimeout(1500);
    const figures = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      const { ready, longTasks } = window.__bench;
      const lastLongTaskEnd = longTasks.filter((t) => t.start < ready + 500).reduce((m, t) => Math.max(m, t.end), 0);
      // What arrived before "ready", by kind (transfer sizes from Resource Timing, same origin).
      const received = { code: nav.transferSize, catalogue: 0, other: 0 };
      for (const e of performance.getEntriesByType('resource')) {
        if (e.responseEnd > ready) continue;
        const path = new URL(e.name).pathname;
        const kind = /\.(wasm|js|css)$/.test(path) ? 'code' : /\.toml$/.test(path) ? 'catalogue' : 'other';
        received[kind] += e.transferSize;
      }
      return {
        ready: ready - nav.startTime,
        fcp: fcp ? fcp.startTime : null,
        lastLongTaskEnd: lastLongTaskEnd ? lastLongTaskEnd - nav.startTime : 0,
        longTasks: longTasks.length,
        received,
      };
    });
    results.push({ ...figures, tti: Math.max(figures.ready, figures.lastLongTaskEnd) });
    await context.close();
  }
  const pick = (f) => results.map(f);
  return {
    page: pageName,
    profile: profileName,
    runs: results,
    median: {
      tti: median(pick((r) => r.tti)),
      ready: median(pick((r) => r.ready)),
      fcp: median(pick((r) => r.fcp ?? NaN)),
      code: median(pick((r) => r.received.code)),
      catalogue: median(pick((r) => r.received.catalogue)),
    },
    p90: { tti: percentile(pick((r) => r.tti), 90), fcp: percentile(pick((r) => r.fcp ?? NaN), 90) },
  };
}

/**
 * Types `sequence` (one string per keystroke: the input's whole value after it) into `inputSelector`
 * and times each keystroke until the DOM under `watchSelector` is quiet for `quietMs`.
 */
async function keystrokes(page, inputSelector, watchSelector, sequence, quietMs = 60) {
  return page.evaluate(async ({ inputSelector, watchSelector, sequence, quietMs }) => {
    const input = document.querySelector(inputSelector);
    const watched = document.querySelector(watchSelector);
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    const timings = [];
    let unchanged = 0;
    for (const value of sequence) {
      const timing = await new Promise((resolve) => {
        let last = null;
        const observer = new MutationObserver(() => { last = performance.now(); });
        observer.observe(watched, { subtree: true, childList: true, characterData: true, attributes: true });
        const start = performance.now();
        setter.call(input, value);
        input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: value.slice(-1) }));
        const settle = () => {
          const now = performance.now();
          const quiet = last === null ? now - start >= 300 : now - last >= quietMs;
          if (!quiet) return setTimeout(settle, 10);
          observer.disconnect();
          resolve(last === null ? null : last - start);
        };
        setTimeout(settle, 10);
      });
      if (timing === null) unchanged += 1; else timings.push(timing);
    }
    return { timings, unchanged };
  }, { inputSelector, watchSelector, sequence, quietMs });
}

const typing = (...words) => words.flatMap((word) => [...word].map((_, i) => word.slice(0, i + 1)));

async function keystrokeBench(browser, cpuRate) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuRate });

  // Service search on Gien's page (46 services of the federation, 3 levels).
  await page.goto(`${BASE_URL}/commune/45155`);
  await page.locator('#recherche').waitFor();
  await page.locator('.gu-levels').first().waitFor();
  const searchSequence = typing('encombrants', 'inscription ecole', 'transprot scolaire', 'acte de naissance', 'salle');
  const search = await keystrokes(page, '#recherche', 'main', searchSequence);

  // Commune autocomplete on the home page (34,969 communes), once the index is loaded.
  await page.goto(`${BASE_URL}/`);
  const combobox = page.getByRole('combobox', { name: 'Votre commune' });
  await combobox.fill('gien');
  await page.getByRole('option').first().waitFor({ timeout: 30000 });
  await combobox.fill('');
  const communeSequence = typing('saint-jean-de-braye', 'trouville', '45500', 'deauville', 'lyon');
  const commune = await keystrokes(page, '[role="combobox"]', 'main', communeSequence);
  await context.close();
  const summarise = ({ timings, unchanged }) => ({
    keystrokes: timings.length + unchanged,
    unchanged,
    p50: median(timings),
    p95: percentile(timings, 95),
    max: Math.max(...timings),
  });
  return { cpuRate, search: summarise(search), commune: summarise(commune) };
}

const browser = await launchBrowser();
try {
  const sizes = bundleSizes();
  const row = (f) => `  ${f.name.padEnd(48)} raw ${kb(f.raw).padStart(10)}  gzip ${kb(f.gzip).padStart(9)}  brotli ${kb(f.brotli).padStart(9)}`;
  console.log('\nFirst route: what the home page needs before it is usable (CSS is inlined in index.html):');
  for (const f of sizes.first.files) console.log(row(f));
  console.log(`${row({ name: 'total', ...sizes.first.total })}   (budget: 200 KB brotli, stretch 150 KB)`);
  console.log('\nLazily loaded parts (all the files each one needs; shared chunks counted in each):');
  for (const r of sizes.routes) console.log(`  ${r.split.padEnd(24)} ${String(r.files.length).padStart(2)} files  brotli ${kb(r.total.brotli).padStart(9)}  (its own module ${kb(r.own.brotli)})`);

  const tti = [];
  const runsFor = { home: Object.keys(PROFILES), commune: ['slow-4g'], service: ['slow-4g'], accessibility: ['slow-4g'] };
  for (const [pageName, profiles] of Object.entries(runsFor)) {
    for (const profile of profiles) {
      const result = await coldLoad(browser, profile, pageName);
      tti.push(result);
      console.log(`\n${pageName} (${PAGES[pageName].path}), CPU 4× slower, ${profile}, cold cache (median of ${RUNS}, p90 in brackets):`);
      console.log(`  first contentful paint ${result.median.fcp.toFixed(0)} ms (${result.p90.fcp.toFixed(0)}), usable ${result.median.ready.toFixed(0)} ms, time to interactive ${result.median.tti.toFixed(0)} ms (${result.p90.tti.toFixed(0)})${pageName === 'home' ? ' (goal: FCP 1,000 ms, TTI 1,500 ms)' : ''}`);
      console.log(`  received before usable: code ${kb(result.median.code)}, catalogue ${kb(result.median.catalogue)}`);
    }
  }

  const keys = [];
  for (const rate of [1, 4]) {
    const result = await keystrokeBench(browser, rate);
    keys.push(result);
    console.log(`\nKeystroke to results, CPU ${rate}× (budget: p95 ≤ 16 ms):`);
    for (const [name, r] of [['service search', result.search], ['commune autocomplete', result.commune]]) {
      console.log(`  ${name.padEnd(22)} ${r.keystrokes} keystrokes: p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, max ${r.max.toFixed(1)} ms`);
    }
  }
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'spa.json'), JSON.stringify({ sizes, tti, keystrokes: keys }, null, 2));
  console.log(`\nsaved ${join(OUT, 'spa.json')}`);
} finally {
  await browser.close();
}
