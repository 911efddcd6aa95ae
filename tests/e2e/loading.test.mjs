// How the portal arrives on a slow network: the painted shell before the code, the app taking over
// without losing what was typed, pages downloaded on demand with an explained retry, preloads,
// and the Content-Security-Policy it is served with.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  launchBrowser, openPage, visit, appReady, expectNoAxeViolations, screenshot, BASE_URL,
  cspViolationsSoFar, takeCspViolations,
} from './harness.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** Holds back the main wasm module until `release()` is called. */
async function holdMainModule(page) {
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  await page.route(/\/guichet-[0-9a-f]{16}_bg\.wasm$/, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

test('the first screen is painted before the code arrives, and the app takes over without moving it or losing what was typed', async () => {
  const { context, page } = await openPage(browser, { viewport: { width: 412, height: 823 } });
  const release = await holdMainModule(page);
  await page.goto(new URL('/', BASE_URL).toString(), { waitUntil: 'domcontentloaded' });
  const shell = page.locator('#gu-shell');
  await shell.getByRole('banner').waitFor();
  const title = shell.getByRole('heading', { level: 1, name: /Vos démarches auprès de votre commune/ });
  await title.waitFor();
  await shell.getByRole('heading', { level: 2, name: 'Où habitez-vous ?' }).waitFor();
  const before = await title.boundingBox();
  // Styled: the inlined stylesheet applies to the shell (the header bar has its colour).
  const headerColour = await shell.locator('.gu-header').evaluate((e) => getComputedStyle(e).backgroundColor);
  assert.notEqual(headerColour, 'rgba(0, 0, 0, 0)');
  await screenshot(page, 'shell-before-code');
  // A citizen starts typing before the code has arrived.
  const field = shell.getByLabel('Votre commune');
  await field.click();
  await page.keyboard.type('gien');
  release();
  await appReady(page);
  assert.equal(await page.getByRole('main').count(), 1, 'one main landmark');
  assert.equal(await page.getByRole('banner').count(), 1, 'one header');
  const appTitle = page.getByRole('heading', { level: 1, name: /Vos démarches auprès de votre commune/ });
  const after = await appTitle.boundingBox();
  assert.ok(Math.abs(after.y - before.y) <= 1 && Math.abs(after.x - before.x) <= 1,
    `the title stays where it was painted (${JSON.stringify(before)} → ${JSON.stringify(after)})`);
  const combobox = page.getByRole('combobox', { name: 'Votre commune' });
  assert.equal(await combobox.inputValue(), 'gien', 'what was typed is kept');
  assert.equal(await combobox.evaluate((e) => e === document.activeElement), true, 'the focus is kept');
  await page.getByRole('option', { name: /^Gien/ }).first().waitFor({ timeout: 30000 });
  await expectNoAxeViolations(page, 'home after take-over');
  await context.close();
});

/** Holds back the catalogue's code (split point `catalogue_chunk`) until `release()` is called. */
async function holdCatalogueCode(page) {
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  await page.route(/\/split_catalogue_chunk-[0-9a-f]{16}\.wasm$/, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

test('the home page is usable with the figures counted at build time before the catalogue’s code arrives', async () => {
  const { context, page } = await openPage(browser);
  const release = await holdCatalogueCode(page);
  await visit(page, '/');
  const built = (await page.locator('meta[name="guichet-figures"]').getAttribute('content')).split(' ').map(Number);
  assert.equal(built.length, 3);
  const figures = page.getByRole('region', { name: 'Les collectivités réunies dans ce guichet' });
  await figures.getByText('collectivités', { exact: true }).waitFor();
  const text = await figures.innerText();
  assert.match(text, new RegExp(`${built[0]}\\s*collectivités`));
  assert.match(text, new RegExp(`${built[1]}\\s*services`));
  // The commune chooser works meanwhile: it needs the territory, not the catalogue.
  await page.getByRole('combobox', { name: 'Votre commune' }).fill('gien');
  await page.getByRole('option', { name: /^Gien/ }).first().waitFor({ timeout: 30000 });
  release();
  // Once read, the live catalogue (root and fragments) gives the figures and the pages.
  await page.waitForFunction((count) => {
    const value = document.querySelectorAll('.gu-figures__value')[1];
    return value && Number(value.textContent) > count;
  }, built[1], { timeout: 30000 });
  await page.getByRole('option', { name: /^Gien/ }).first().click();
  await page.getByRole('heading', { level: 1, name: /Gien/ }).waitFor();
  await context.close();
});

test('“Se connecter” pressed before the catalogue’s code has arrived leads to the identity provider once it has', async () => {
  const { context, page } = await openPage(browser);
  const release = await holdCatalogueCode(page);
  await visit(page, '/mes-demarches');
  await page.getByRole('banner').getByRole('button', { name: 'Se connecter' }).click();
  // The issuer is named by the catalogue, not read yet: the click waits for it, it does not fail.
  await page.waitForTimeout(1500);
  assert.equal(new URL(page.url()).origin, new URL(BASE_URL).origin, 'still on the portal while the catalogue is held');
  assert.equal(await page.getByText('La connexion n’a pas abouti').count(), 0, 'no failure is announced');
  release();
  await page.getByRole('heading', { name: 'Se connecter à Guichet' }).waitFor({ timeout: 30000 });
  await context.close();
});

test('when the catalogue’s code cannot be downloaded, the home page says the catalogue could not be loaded', async () => {
  const { context, page } = await openPage(browser);
  await page.route(/\/split_catalogue_chunk-[0-9a-f]{16}\.wasm$/, (route) => route.abort('internetdisconnected'));
  await visit(page, '/');
  const alert = page.getByRole('alert');
  await alert.getByText('La liste des services n’a pas pu être chargée').waitFor();
  await page.getByRole('combobox', { name: 'Votre commune' }).waitFor();
  await context.close();
});

test('on a deep link the shell shows the header only, never another page’s content', async () => {
  const { context, page } = await openPage(browser);
  const release = await holdMainModule(page);
  await page.goto(new URL('/commune/45155', BASE_URL).toString(), { waitUntil: 'domcontentloaded' });
  await page.locator('#gu-shell').getByRole('banner').waitFor();
  assert.equal(await page.locator('#gu-shell').getByRole('heading', { level: 1 }).count(), 0);
  release();
  await appReady(page);
  await page.getByRole('heading', { level: 1, name: /Gien/ }).waitFor();
  await context.close();
});

test('the page loads the catalogue fragments and a deep link’s code in parallel with the main module', async () => {
  const { context, page } = await openPage(browser);
  const fragments = [...readFileSync('services.toml', 'utf8').matchAll(/^fragment = "([^"]+)"/gm)].map((m) => `/${m[1]}`);
  assert.ok(fragments.length >= 2);
  await page.goto(new URL('/mes-demarches', BASE_URL).toString(), { waitUntil: 'domcontentloaded' });
  const preloads = await page.locator('link[rel=preload]').evaluateAll((links) => links.map((l) => new URL(l.href).pathname));
  for (const fragment of fragments) assert.ok(preloads.includes(fragment), `${fragment} is preloaded`);
  assert.ok(preloads.some((p) => /^\/split_signed_in_chunk-[0-9a-f]{16}\.wasm$/.test(p)), 'the page’s own chunk is preloaded');
  await appReady(page);
  await context.close();
});

test('a page whose code cannot be downloaded says so in French and loads on retry', async () => {
  const { context, page } = await openPage(browser);
  await visit(page, '/');
  let failing = true;
  let refused = 0;
  await page.route(/\/split_info_chunk-[0-9a-f]{16}\.wasm$/, (route) => {
    if (!failing) return route.continue();
    refused += 1;
    return route.abort('internetdisconnected');
  });
  await page.getByRole('contentinfo').getByRole('link', { name: /Accessibilité/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Cette page n’a pas pu être téléchargée' }).waitFor();
  const alert = page.getByRole('alert').filter({ hasText: 'Vérifiez votre connexion, puis réessayez.' });
  await alert.waitFor();
  assert.ok(refused >= 1);
  await expectNoAxeViolations(page, 'chunk failed');
  await screenshot(page, 'chunk-failed');
  // The rest of the app still works (no dead app): the header navigates.
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Accueil' }).click();
  await page.getByRole('heading', { level: 1, name: /Vos démarches auprès de votre commune/ }).waitFor();
  await page.goBack();
  await alert.waitFor();
  failing = false;
  await alert.getByRole('button', { name: 'Réessayer' }).click();
  await page.getByRole('heading', { level: 1, name: 'Déclaration d’accessibilité' }).waitFor();
  await context.close();
});

test('the portal is served with a CSP generated from the catalogue, and it is enforced', async () => {
  const response = await fetch(new URL('/', BASE_URL));
  const policy = response.headers.get('content-security-policy');
  assert.ok(policy, 'a Content-Security-Policy header');
  const directive = (name) => policy.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `));
  const catalogue = readFileSync('services.toml', 'utf8');
  const apis = [...catalogue.matchAll(/^api = "([^"]+)"/gm)].map((m) => new URL(m[1]).origin);
  const issuer = new URL(catalogue.match(/^issuer = "([^"]+)"/m)[1]).origin;
  for (const origin of [...apis, issuer]) assert.ok(directive('connect-src').split(' ').includes(origin), `connect-src has ${origin}`);
  assert.ok(directive('form-action').split(' ').includes(issuer));
  assert.equal(directive('frame-ancestors'), "frame-ancestors 'none'");
  assert.equal(directive('object-src'), "object-src 'none'");
  assert.equal(directive('base-uri'), "base-uri 'none'");
  assert.doesNotMatch(policy, /'unsafe-inline'|'unsafe-eval'|'unsafe-hashes'|\s\*/);
  assert.match(directive('script-src'), /^script-src 'self' 'wasm-unsafe-eval'( 'sha256-[A-Za-z0-9+/=]+')+$/);

  const { context, page } = await openPage(browser);
  await visit(page, '/');
  // Injected markup cannot run a script, nor send anything to an origin the catalogue does not name.
  const outcome = await page.evaluate(async () => {
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true';
    document.head.append(script);
    let sent = true;
    try { await fetch('http://127.0.0.1:9/steal'); } catch { sent = false; }
    return { ran: window.__injected === true, sent };
  });
  assert.deepEqual(outcome, { ran: false, sent: false });
  await page.waitForTimeout(200);
  const seen = takeCspViolations();
  assert.ok(seen.some((v) => v.includes('script-src')), `the inline script is reported: ${seen}`);
  assert.ok(seen.some((v) => v.includes('connect-src') && v.includes('127.0.0.1:9')), `the fetch is reported: ${seen}`);
  assert.deepEqual(cspViolationsSoFar(), []);
  // Another site cannot show it in a frame (clickjacking).
  const other = await context.newPage();
  await other.setContent(`<iframe src="${new URL('/', BASE_URL)}" title="x"></iframe>`);
  await other.waitForTimeout(2000);
  const framed = other.frames().find((f) => f !== other.mainFrame());
  // Chromium shows its own error page in the frame: none of the portal's markup is there.
  const rendered = framed ? await framed.locator('.gu-header, #gu-shell').count().catch(() => 0) : 0;
  assert.equal(rendered, 0, 'the portal does not render inside a frame');
  takeCspViolations();
  await context.close();
});
