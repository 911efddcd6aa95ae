// What a kiosk leaves on the shared machine's disk (issue 12): the next person at a France
// services kiosk may read the browser profile. A whole journey in a persistent Chromium profile in
// a temporary directory — a school transport request for a child, its demande opened, its document
// printed — then "Terminer et tout effacer"; then the profile's HTTP cache, its cookies and the
// downloads folder are read from disk, byte by byte: nothing of the citizen may be there.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, FIXTURES, expectNoAxeViolations, screenshot, signIn } from './harness.mjs';

const KIOSK_URL = process.env.GUICHET_KIOSK_URL ?? 'http://127.0.0.1:8081';
const ISSUER = 'http://127.0.0.1:8090';

/** What identifies the citizen and their child in this journey (reference added once known). */
const CHILD = {
  first: 'Eulalie',
  last: 'Quintavalle',
  birth: '2013-02-17',
  birthShown: '17/02/2013',
  street: '27 allée des Tilleuls-Argentés',
  email: 'famille.quintavalle@example.fr',
};
/** A label of the public form schema, which the browser may cache: proves cached bodies are seen. */
const CANARY = 'Jour du trajet aller-retour hebdomadaire';

/** Every file under `dir` (none if it does not exist). */
function files(dir) {
  let entries;
  try { entries = readdirSync(dir); } catch { return []; }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** The files under `paths` holding `needle`, in UTF-8 or UTF-16 (as some Chromium stores write). */
function holding(paths, needle) {
  const forms = [Buffer.from(needle, 'utf8'), Buffer.from(needle, 'utf16le')];
  return paths.filter((path) => {
    const bytes = readFileSync(path);
    return forms.some((form) => bytes.includes(form));
  });
}

test('after a kiosk wipe, the profile’s HTTP cache, cookies and downloads hold nothing of the citizen', async () => {
  const profile = mkdtempSync(join(tmpdir(), 'guichet-kiosk-profile-'));
  const downloads = mkdtempSync(join(tmpdir(), 'guichet-kiosk-downloads-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1024, height: 1366 },
      hasTouch: true,
      locale: 'fr-FR',
      acceptDownloads: true,
      downloadsPath: downloads,
    });
    const page = context.pages()[0] ?? await context.newPage();
    let downloaded = 0;
    page.on('download', () => { downloaded += 1; });

    await page.goto(`${KIOSK_URL}/service/loiret/transport-scolaire/demarche`);
    await signIn(page, 'camille.martin', { button: page.getByRole('main').getByRole('button', { name: 'Se connecter' }) });
    await page.getByLabel('Non, je préfère tout saisir moi-même').check();
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.getByLabel('Prénom de l’élève').fill(CHILD.first);
    await page.getByLabel('Nom de l’élève', { exact: true }).fill(CHILD.last);
    await page.getByLabel('Date de naissance de l’élève').fill(CHILD.birth);
    await page.getByLabel('Établissement fréquenté à la rentrée').fill('Collège Jean-Mermoz, Gien');
    await page.getByLabel('Demi-pensionnaire').check();
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.getByLabel(/Photo d’identité/).setInputFiles(join(FIXTURES, 'photo-identite.png'));
    await page.getByLabel('Nom du responsable légal').fill(CHILD.last);
    await page.getByLabel('Numéro et voie').fill(CHILD.street);
    await page.getByLabel('Code postal').fill('45500');
    await page.getByLabel('Commune', { exact: true }).fill('Gien');
    await page.getByLabel('Adresse e-mail').fill(CHILD.email);
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await page.getByRole('heading', { name: 'Votre demande a bien été envoyée' }).waitFor();
    const reference = (await page.locator('.gu-panel__reference').innerText()).trim();
    assert.match(reference, /^LOIRET-/);

    // The demande, with the child's answers, is fetched; its document is printed, not downloaded.
    await page.getByRole('link', { name: 'Suivre cette demande' }).click();
    await page.getByRole('heading', { level: 1, name: 'Inscription au transport scolaire' }).waitFor();
    await page.getByText(reference).waitFor();
    assert.equal(await page.getByRole('button', { name: /^Télécharger/ }).count(), 0, 'no download on a kiosk');
    await page.getByRole('img', { name: 'QR code de l’adresse de cette demande' }).waitFor();
    await page.getByRole('button', { name: /^Imprimer photo-identite\.png/ }).click();
    await page.locator('#gu-print-frame').waitFor({ state: 'attached' });
    await expectNoAxeViolations(page, 'kiosk demande');
    await screenshot(page, 'kiosk-demande-documents');

    const before = await context.cookies([ISSUER]);
    assert.ok(before.some((c) => /session/i.test(c.name)), 'signed in, the identity provider holds a session cookie');
    await page.getByRole('button', { name: 'Terminer et tout effacer' }).tap();
    await page.waitForURL(`${KIOSK_URL}/?session=terminee`, { timeout: 20000 });
    await page.getByText('Session terminée').waitFor();
    await context.close();

    // From disk.
    const cache = files(join(profile, 'Default', 'Cache'));
    const cookies = files(join(profile, 'Default')).filter((p) => /[/\\]Cookies(-journal)?$/.test(p));
    assert.ok(cache.length > 0, 'the profile has an HTTP cache on disk');
    assert.ok(holding(cache, CANARY).length > 0, 'cached bodies can be found by this search (the public form schema is cached)');
    for (const needle of [CHILD.first, CHILD.last, CHILD.birth, CHILD.birthShown, CHILD.street, CHILD.email, reference]) {
      assert.deepEqual(holding(cache, needle), [], `the HTTP cache holds “${needle}”`);
      assert.deepEqual(holding(cookies, needle), [], `the cookies hold “${needle}”`);
    }
    assert.equal(downloaded, 0, 'nothing was downloaded');
    assert.deepEqual(files(downloads), [], 'the downloads folder is empty');

    // The cookies as Chromium reads them back from that disk: no session left at the identity provider.
    const reopened = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
    });
    const left = (await reopened.cookies([ISSUER, KIOSK_URL])).filter((c) => c.value !== '');
    await reopened.close();
    assert.deepEqual(left.filter((c) => /session/i.test(c.name)).map((c) => c.name), [], 'an identity provider session cookie survived the wipe');
  } finally {
    rmSync(profile, { recursive: true, force: true });
    rmSync(downloads, { recursive: true, force: true });
  }
});
