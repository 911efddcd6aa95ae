// Shared harness for the end-to-end tests: Debian's Chromium driven by playwright-core, axe-core
// injected into each page, screenshots kept as artifacts.
//
// The portal URL comes from GUICHET_BASE_URL (set by `cargo xtask e2e` / `cargo xtask test`, which
// build and serve the release SPA). Nothing here downloads a browser.
//
// Every page runs under the Content-Security-Policy the portal is served with (generated from the
// catalogue, see xtask/src/csp.rs): any `securitypolicyviolation` in any browser context fails the
// test that was running, whatever it asserts itself.

import { chromium } from 'playwright-core';
import { afterEach } from 'node:test';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);

export const BASE_URL = process.env.GUICHET_BASE_URL ?? 'http://127.0.0.1:8080';
const SCREENSHOTS = process.env.GUICHET_SCREENSHOTS ?? 'target/e2e-screenshots';
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Flags for a headless Chromium on a machine with no outside network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** CSP violations seen since the current test started. */
const cspViolations = [];

// Only under `node --test` (benchmarks import this file too, and must not start a test run).
if (process.env.NODE_TEST_CONTEXT) {
  afterEach(() => {
    const seen = cspViolations.splice(0);
    assert.deepEqual(seen, [], `Content-Security-Policy violations:\n${seen.join('\n')}`);
  });
}

/** Reports every `securitypolicyviolation` of every page of `context` into `cspViolations`. */
async function watchCsp(context) {
  await context.exposeBinding('__guichetCspViolation', (_source, text) => { cspViolations.push(text); });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      // eslint-disable-next-line no-undef
      window.__guichetCspViolation(`${location.pathname}: ${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber}) ${e.sample}`);
    }, true);
  });
}

export async function launchBrowser() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await watchCsp(context);
    return context;
  };
  return browser;
}

/** The CSP violations seen so far in this test (the harness fails the test on any of them). */
export function cspViolationsSoFar() {
  return [...cspViolations];
}

/** Takes the violations seen so far, for a test that provokes them on purpose. */
export function takeCspViolations() {
  return cspViolations.splice(0);
}

/**
 * A fresh browser context and page. Console errors and failed requests are collected so a test can
 * assert that a page loaded cleanly.
 */
export async function openPage(browser, { viewport = { width: 1280, height: 900 }, ...options } = {}) {
  const context = await browser.newContext({ viewport, locale: 'fr-FR', ...options });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { context, page, problems };
}

/**
 * Navigates to a path of the portal and waits until the app has rendered its main landmark and
 * taken over from the painted shell of the release `index.html` (see xtask/src/shell.rs).
 */
export async function visit(page, path) {
  await page.goto(new URL(path, BASE_URL).toString(), { waitUntil: 'domcontentloaded' });
  await appReady(page);
}

/** Waits until the app (not the static shell painted before it) shows the page. */
export async function appReady(page) {
  await page.locator('#gu-shell').waitFor({ state: 'detached', timeout: 30000 });
  await page.getByRole('main').waitFor();
}

/** Runs axe-core (WCAG 2.1 A/AA rules) on the page and fails with a readable list of violations. */
export async function expectNoAxeViolations(page, label) {
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    return axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
  });
  const violations = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`,
  );
  assert.deepEqual(violations, [], `axe violations on ${label}:\n${violations.join('\n')}`);
}

/** Saves a full-page screenshot under target/e2e-screenshots/<name>.png. */
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Signs in at the demo identity provider from a page showing a "Se connecter" button. */
export async function signIn(page, login = 'camille.martin', { button } = {}) {
  const portal = new URL(page.url()).origin;
  await (button ?? page.getByRole('button', { name: 'Se connecter' }).first()).click();
  await page.getByRole('heading', { name: 'Se connecter à Guichet' }).waitFor();
  await page.getByLabel('Identifiant').fill(login);
  await page.getByLabel('Mot de passe').fill('demo');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL((url) => url.origin === portal && !url.pathname.startsWith('/connexion'));
}

/**
 * Records every request carrying an access token (Bearer or DPoP); returns the list (origin, url).
 * Used to prove a token never reaches an origin the catalogue does not declare.
 */
export function recordBearerRequests(page) {
  const seen = [];
  page.on('request', (request) => {
    const auth = request.headers().authorization;
    if (auth && (auth.startsWith('Bearer ') || auth.startsWith('DPoP '))) seen.push({ origin: new URL(request.url()).origin, url: request.url() });
  });
  return seen;
}

export const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
