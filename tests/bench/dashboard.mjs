// `cargo xtask bench dashboard`: "Mes démarches" with 20 providers.
//
// xtask starts the identity provider, 19 reference providers with injected latencies (0 to 800 ms)
// and one listener that accepts connections and never answers, and serves the portal with a
// catalogue of those 20 members (GUICHET_BENCH_MEMBERS describes them). Here, in Chromium:
//
// * parallelism: time from the first "list my demandes" request to the moment every answering
//   provider's demandes are on screen, divided by the slowest answering provider's own request
//   time (Resource Timing, as the browser saw it). 1.0 is perfect parallelism; budget ≤ 1.1.
//   The dead provider must delay nothing: it shows "pending" until its own timeout, then a notice.
// * rendering: ~500 demandes, already in memory, rendered when the citizen comes back to the page
//   (click on "Mes démarches" → list complete and the DOM quiet), timed with performance.now()
//   in the page. Budget ≤ 100 ms.
//
// A benchmark, not a test: it prints and saves figures (target/bench/dashboard.json) and fails
// only when it cannot measure.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, signIn } from '../e2e/harness.mjs';
import { percentile, median } from './stats.mjs';

const BASE_URL = process.env.GUICHET_BASE_URL ?? 'http://127.0.0.1:8080';
const OUT = process.env.GUICHET_BENCH_OUT ?? 'target/bench';
const RUNS = Number(process.env.GUICHET_BENCH_RUNS ?? 10);
const RENDERS = 10;
const members = JSON.parse(process.env.GUICHET_BENCH_MEMBERS ?? '[]');
if (members.length === 0) throw new Error('GUICHET_BENCH_MEMBERS is empty: run this through `cargo xtask bench dashboard`');
const answering = members.filter((m) => !m.dead);
const dead = members.filter((m) => m.dead);
const expectedRows = answering.reduce((n, m) => n + m.demandes, 0);



/** In the page from the start: when each member's demandes (or notice) first appear. */
const PROBE = (names) => {
  performance.setResourceTimingBufferSize(2000);
  window.__bench = { shown: {}, failed: {} };
  const check = () => {
    const now = performance.now();
    for (const meta of document.querySelectorAll('.gu-demande__meta')) {
      const text = meta.textContent;
      for (const [member, name] of Object.entries(names)) {
        if (!(member in window.__bench.shown) && text.startsWith(`${name} — `)) window.__bench.shown[member] = now;
      }
    }
    for (const notice of document.querySelectorAll('.gu-provider-notice[data-member]')) {
      const member = notice.dataset.member;
      if (!(member in window.__bench.failed)) window.__bench.failed[member] = now;
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
};

async function parallelismRun(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
  const page = await context.newPage();
  await page.addInitScript(PROBE, Object.fromEntries(members.map((m) => [m.member, m.name])));
  await page.goto(`${BASE_URL}/mes-demarches`);
  await signIn(page, 'camille.martin', { button: page.getByRole('main').getByRole('button', { name: 'Se connecter' }) });
  const ids = answering.map((m) => m.member);
  await page.waitForFunction((ids) => ids.every((id) => id in window.__bench.shown), ids, { timeout: 30000, polling: 100 });
  // While the others are shown, the dead provider is still pending (it has not delayed them).
  const deadPendingMeanwhile = await page.evaluate(
    (ids) => ids.every((id) => document.querySelector(`.gu-pending[data-member="${id}"]`) !== null),
    dead.map((m) => m.member),
  );
  // Then its own timeout turns it into a notice.
  await page.waitForFunction((ids) => ids.every((id) => id in window.__bench.failed), dead.map((m) => m.member), { timeout: 30000, polling: 100 });
  const figures = await page.evaluate(({ apis }) => {
    const entries = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/v1/demandes'));
    const byMember = {};
    for (const [member, api] of Object.entries(apis)) {
      const entry = entries.find((e) => e.name.startsWith(api));
      if (entry) byMember[member] = { start: entry.startTime, end: entry.responseEnd, duration: entry.responseEnd - entry.startTime };
    }
    return { byMember, shown: window.__bench.shown, failed: window.__bench.failed };
  }, { apis: Object.fromEntries(answering.map((m) => [m.member, m.api])) });
  await context.close();
  const missing = answering.filter((m) => !figures.byMember[m.member]).map((m) => m.member);
  if (missing.length) throw new Error(`no resource timing for ${missing.join(', ')}`);
  const start = Math.min(...Object.values(figures.byMember).map((e) => e.start));
  const slowest = answering.reduce((a, m) => (figures.byMember[m.member].duration > figures.byMember[a.member].duration ? m : a));
  const slowestDuration = figures.byMember[slowest.member].duration;
  const allShown = Math.max(...answering.map((m) => figures.shown[m.member]));
  const deadNotice = Math.max(...dead.map((m) => figures.failed[m.member]));
  // How long after its own answer each provider's rows appeared (the portal's own overhead).
  const gaps = answering.map((m) => figures.shown[m.member] - figures.byMember[m.member].end);
  return {
    gapMedianMs: median(gaps),
    gapMaxMs: Math.max(...gaps),
    allShownMs: allShown - start,
    slowestMember: slowest.member,
    slowestInjectedMs: slowest.latency_ms,
    slowestRequestMs: slowestDuration,
    ratio: (allShown - start) / slowestDuration,
    deadPendingMeanwhile,
    deadNoticeMs: deadNotice - start,
  };
}

async function renderRun(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto(`${BASE_URL}/mes-demarches`);
  await signIn(page, 'camille.martin', { button: page.getByRole('main').getByRole('button', { name: 'Se connecter' }) });
  await page.waitForFunction((n) => document.querySelectorAll('.gu-demandes > li').length === n, expectedRows, { timeout: 30000, polling: 100 });
  const timings = [];
  for (let i = 0; i < RENDERS; i++) {
    await page.getByRole('banner').getByRole('link', { name: 'Mon compte' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mon compte' }).waitFor();
    await page.waitForTimeout(200);
    const timing = await page.evaluate(async (expected) => {
      const link = [...document.querySelectorAll('header a')].find((a) => a.textContent.trim().startsWith('Mes démarches'));
      return new Promise((resolve, reject) => {
        let last = null;
        const observer = new MutationObserver(() => { last = performance.now(); });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
        const start = performance.now();
        link.click();
        const settle = () => {
          const now = performance.now();
          const complete = document.querySelectorAll('.gu-demandes > li').length === expected;
          if (now - start > 10000) { observer.disconnect(); reject(new Error('the list never completed')); return; }
          if (!complete || last === null || now - last < 50) { setTimeout(settle, 10); return; }
          observer.disconnect();
          resolve(last - start);
        };
        setTimeout(settle, 10);
      });
    }, expectedRows);
    timings.push(timing);
  }
  await context.close();
  return timings;
}

const browser = await launchBrowser();
try {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await parallelismRun(browser));
  const renders = await renderRun(browser);
  const summary = {
    providers: { answering: answering.length, dead: dead.length, demandes: expectedRows },
    ratio: { median: median(runs.map((r) => r.ratio)), p90: percentile(runs.map((r) => r.ratio), 90), max: Math.max(...runs.map((r) => r.ratio)) },
    allShownMs: median(runs.map((r) => r.allShownMs)),
    slowestRequestMs: median(runs.map((r) => r.slowestRequestMs)),
    deadNeverDelayedOthers: runs.every((r) => r.deadPendingMeanwhile),
    deadNoticeMs: median(runs.map((r) => r.deadNoticeMs)),
    render: { median: median(renders), p95: percentile(renders, 95), max: Math.max(...renders) },
  };
  console.log(`\n${answering.length} answering providers (injected latency ${Math.min(...answering.map((m) => m.latency_ms))}–${Math.max(...answering.map((m) => m.latency_ms))} ms), ${dead.length} that never answers, ${expectedRows} demandes; ${RUNS} runs:`);
  for (const r of runs) {
    console.log(`  all answering providers shown after ${r.allShownMs.toFixed(0)} ms; slowest (${r.slowestMember}, +${r.slowestInjectedMs} ms) took ${r.slowestRequestMs.toFixed(0)} ms → ratio ${r.ratio.toFixed(3)}; dead provider pending meanwhile: ${r.deadPendingMeanwhile}, its notice after ${r.deadNoticeMs.toFixed(0)} ms; answer → rows on screen: median ${r.gapMedianMs.toFixed(0)} ms, max ${r.gapMaxMs.toFixed(0)} ms`);
  }
  console.log(`  ratio over ${RUNS} runs: median ${summary.ratio.median.toFixed(3)}, p90 ${summary.ratio.p90.toFixed(3)} (budget ≤ 1.1), worst ${summary.ratio.max.toFixed(3)}`);
  console.log(`\nRendering ${expectedRows} demandes already in memory (${RENDERS} times): median ${summary.render.median.toFixed(1)} ms, p95 ${summary.render.p95.toFixed(1)} ms, max ${summary.render.max.toFixed(1)} ms (budget ≤ 100 ms)`);
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'dashboard.json'), JSON.stringify({ summary, runs, renders }, null, 2));
  console.log(`\nsaved ${join(OUT, 'dashboard.json')}`);
} finally {
  await browser.close();
}
