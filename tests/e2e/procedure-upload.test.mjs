// An attachment over a slow uplink goes through (issue 12 items 3 and 6): writes time out on lack
// of progress, not after a fixed 30 s. The case is 10 MiB at 512 kbit/s (about 164 s); to
// keep CI short, this sends 2.5 MiB at 500 kbit/s through Chromium's own network throttling (CDP
// `Network.emulateNetworkConditions`): about 42 s of steady progress, which the former fixed 30 s
// deadline could never let through. The provider must receive the whole file, once.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, openPage, visit, screenshot, signIn } from './harness.mjs';
import { agent } from './stack.mjs';

let browser;
const dir = mkdtempSync(join(tmpdir(), 'guichet-upload-'));
before(async () => { browser = await launchBrowser(); });
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const SIZE = 2.5 * 1024 * 1024;
const UPLINK_BYTES_PER_SECOND = 500_000 / 8;

/** A valid PDF of about `size` bytes: one page whose content stream is long and harmless. */
function bigPdf(size) {
  const line = 'q 1 0 0 1 0 0 cm Q\n';
  const stream = line.repeat(Math.ceil(size / line.length));
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}endstream`,
  ];
  let pdf = '%PDF-1.4\n';
  const offsets = objects.map((body, i) => {
    const at = pdf.length;
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

test('a 2.5 MiB proof over a 500 kbit/s uplink goes through, once, however long it takes', async () => {
  const file = join(dir, 'jugement-de-tutelle.pdf');
  const bytes = bigPdf(SIZE);
  writeFileSync(file, bytes);
  const { context, page } = await openPage(browser);
  const cdp = await context.newCDPSession(page);
  await visit(page, '/service/gien/acte-naissance/demarche');
  await signIn(page, 'camille.martin', { button: page.getByRole('main').getByRole('button', { name: 'Se connecter' }) });
  await page.getByLabel('Oui, pré-remplir le formulaire avec ces informations').check();
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByLabel('Une autre personne (mon enfant, mon parent, mon conjoint…)').check();
  await page.getByLabel('Je suis son représentant légal').check();
  await page.getByLabel('Prénom(s) de la personne').fill('Léa');
  await page.getByLabel('Date de naissance').fill('2016-05-20');
  await page.getByLabel(/Justificatif du lien/).setInputFiles(file);
  await page.getByText('Fichier ajouté : jugement-de-tutelle.pdf').waitFor();
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByLabel('Extrait avec filiation').check();
  await page.getByLabel('Nombre d’exemplaires').fill('1');
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByRole('heading', { name: 'Vérifiez vos réponses avant d’envoyer' }).waitFor();

  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 40, downloadThroughput: -1, uploadThroughput: UPLINK_BYTES_PER_SECOND,
  });
  const started = Date.now();
  await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
  await page.getByRole('button', { name: 'Envoi en cours…' }).waitFor();
  await page.getByRole('heading', { name: 'Votre demande a bien été envoyée' }).waitFor({ timeout: 150_000 });
  const seconds = (Date.now() - started) / 1000;
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  // Proof that the uplink really was slow: the former fixed deadline would have cut it.
  assert.ok(seconds > 32, `the upload took ${seconds.toFixed(1)} s: the throttling did not apply`);
  await screenshot(page, 'procedure-upload-slow-uplink');

  const tracking = await page.getByRole('link', { name: 'Suivre cette demande' }).getAttribute('href');
  const sent = JSON.parse(agent('gien', 'show', tracking.split('/').pop()));
  assert.deepEqual(sent.documents.map((d) => [d.name, d.size]), [['jugement-de-tutelle.pdf', bytes.length]]);
  await context.close();
});
