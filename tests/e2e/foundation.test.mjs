// The portal's frame: home page, not-found page, accessibility statement, catalogue failures.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, openPage, visit, expectNoAxeViolations, screenshot,
} from './harness.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('home page shows the portal and the federation in French', async () => {
  const { context, page, problems } = await openPage(browser);
  await visit(page, '/');
  assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
  await page.getByRole('heading', { level: 1, name: /Vos démarches auprès de votre commune/ }).waitFor();
  await page.getByRole('link', { name: /^Guichet .* retour à l’accueil$/ }).waitFor();
  await page.getByRole('navigation', { name: 'Menu principal' }).waitFor();
  const figures = page.getByRole('region', { name: 'Les collectivités réunies dans ce guichet' });
  await figures.getByText('collectivités', { exact: true }).waitFor();
  assert.match(await figures.innerText(), /\d+\s*collectivités/);
  assert.match(await figures.innerText(), /\d+\s*services/);
  assert.match(await page.title(), /^Accueil — Guichet$/);
  await expectNoAxeViolations(page, 'home');
  await screenshot(page, 'home');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the skip link is the first thing the keyboard reaches and moves to the content', async () => {
  const { context, page } = await openPage(browser);
  await visit(page, '/');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Aller au contenu');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'contenu');
  await context.close();
});

test('an unknown address shows the not-found page with a way back', async () => {
  const { context, page } = await openPage(browser);
  await visit(page, '/cette-page-n-existe-pas');
  await page.getByRole('heading', { level: 1, name: 'Page introuvable' }).waitFor();
  assert.match(await page.title(), /^Page introuvable — Guichet$/);
  await expectNoAxeViolations(page, 'not found');
  await screenshot(page, 'not-found');
  await page.getByRole('link', { name: 'Revenir à l’accueil' }).click();
  await page.getByRole('heading', { level: 1, name: /Vos démarches/ }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/');
  await context.close();
});

test('the accessibility statement is reachable from the footer', async () => {
  const { context, page } = await openPage(browser);
  await visit(page, '/');
  await page.getByRole('contentinfo').getByRole('link', { name: /Accessibilité/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Déclaration d’accessibilité' }).waitFor();
  await expectNoAxeViolations(page, 'accessibility statement');
  await screenshot(page, 'accessibility');
  await context.close();
});

test('a malformed catalogue gives a clear French error, not a blank page', async () => {
  const { context, page } = await openPage(browser);
  await page.route('**/services.toml', (route) => route.fulfill({
    status: 200,
    contentType: 'application/toml',
    body: '[federation\nname = "cassé"\n',
  }));
  await visit(page, '/');
  const alert = page.getByRole('alert');
  await alert.getByText('La liste des services n’a pas pu être chargée').waitFor();
  assert.match(await alert.innerText(), /contient des erreurs/);
  await page.getByRole('heading', { level: 1, name: /Vos démarches/ }).waitFor();
  await expectNoAxeViolations(page, 'catalogue error');
  await screenshot(page, 'catalogue-malformed');
  await context.close();
});

test('a missing catalogue is explained as missing', async () => {
  const { context, page } = await openPage(browser);
  await page.route('**/services.toml', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await visit(page, '/');
  const alert = page.getByRole('alert');
  await alert.getByText('La liste des services n’a pas pu être chargée').waitFor();
  assert.match(await alert.innerText(), /introuvable sur le serveur \(HTTP 404\)/);
  await screenshot(page, 'catalogue-missing');
  await context.close();
});
