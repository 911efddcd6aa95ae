// What a citizen typed is never sent twice (issue 12 items 3 and 6), in Chromium against a real
// demo provider put behind a small proxy on 127.0.0.1 that loses answers on purpose:
// - the provider writes the demande but the answer never comes back: the answers freeze (no way to
//   change them, also after a reload) until the retry finds the same demande — exactly one;
// - the answer is lost and the lookup by idempotency key finds the demande: the receipt, no resend;
// - the submission never reached the provider: the lookup says so, the citizen may then change an
//   answer, which sends under a new key — exactly one demande.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPage, visit, expectNoAxeViolations, screenshot, signIn } from './harness.mjs';
import { behindProxy, countDemandes, reserveRoom } from './procedure-proxy.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const MOVED_PORT = 8111;
const unresolved = (page) => page.getByRole('alert').filter({ hasText: 'Nous ne savons pas encore si votre demande est arrivée' });
const changeButtons = (page) => page.getByRole('button', { name: /^Modifier/ });

async function startBooking(page) {
  await visit(page, '/service/gien/reservation-salle/demarche');
  await signIn(page, 'camille.martin', { button: page.getByRole('main').getByRole('button', { name: 'Se connecter' }) });
  await reserveRoom(page);
}

test('an answer lost after the provider wrote the demande: frozen, still frozen after a reload, one demande after the retry', async () => {
  const proxy = await behindProxy('gien', { movedPort: MOVED_PORT });
  const { context, page } = await openPage(browser);
  try {
    const before = countDemandes('gien', 'reservation-salle');
    await startBooking(page);
    proxy.faults.writes = 'drop-after';
    proxy.faults.lookups = 'drop';
    await page.getByRole('button', { name: 'Envoyer ma demande' }).click();

    // Told plainly; the lookup is tried and fails too; the provider did write it.
    const notice = unresolved(page);
    await notice.getByText('L’envoi n’a pas abouti').waitFor();
    await notice.getByText(/vos réponses ne peuvent pas être modifiées tant que Ville de Gien n’a pas confirmé/).waitFor();
    await notice.getByText(/La vérification n’a pas abouti/).waitFor();
    assert.equal(countDemandes('gien', 'reservation-salle'), before + 1, 'the provider wrote it');
    assert.ok(proxy.seen.lookups.length >= 1, 'the portal asked about the key');

    // The edit attempt: nothing lets the citizen change an answer.
    assert.equal(await changeButtons(page).count(), 0, 'no « Modifier » while frozen');
    assert.equal(await page.getByRole('button', { name: 'Retour' }).count(), 0, 'no way back to the form');
    await expectNoAxeViolations(page, 'review frozen after a lost answer');
    await screenshot(page, 'procedure-outcome-frozen');

    // A reload: still frozen, and why.
    await page.reload();
    await notice.getByText(/L’envoi a été interrompu/).waitFor();
    await notice.getByText(/La vérification n’a pas abouti/).waitFor();
    assert.equal(await changeButtons(page).count(), 0, 'still no « Modifier » after a reload');
    await page.getByText('Salle Marcel-Pagnol (80 personnes)').waitFor();

    // The network heals: the retry sends the same answers under the same key, and the provider
    // replays its first answer — the same demande.
    proxy.faults.writes = 'pass';
    proxy.faults.lookups = 'pass';
    await page.getByRole('button', { name: 'Réessayer l’envoi' }).click();
    await page.getByRole('heading', { name: 'Votre demande a bien été envoyée' }).waitFor();
    assert.match(await page.locator('.gu-panel__reference').innerText(), /^GIEN-\d{4}-\d{6}$/);
    assert.equal(countDemandes('gien', 'reservation-salle'), before + 1, 'exactly one demande');
    // Chromium itself sends a POST again when a reused connection is cut before any answer:
    // each of those copies, and the citizen's retry, carried the same key.
    assert.ok(proxy.seen.writes.length >= 2, `${proxy.seen.writes.length} writes seen`);
    assert.equal(new Set(proxy.seen.writes).size, 1, 'every attempt carried the same key');
  } finally {
    await context.close();
    await proxy.restore();
  }
});

test('an answer lost after the provider wrote the demande: the lookup finds it, nothing is sent again', async () => {
  const proxy = await behindProxy('gien', { movedPort: MOVED_PORT });
  const { context, page } = await openPage(browser);
  try {
    const before = countDemandes('gien', 'reservation-salle');
    await startBooking(page);
    proxy.faults.writes = 'drop-after';
    await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await page.getByRole('heading', { name: 'Votre demande a bien été envoyée' }).waitFor();
    await page.getByText('Votre envoi était bien arrivé malgré la coupure.').waitFor();
    assert.equal(new Set(proxy.seen.writes).size, 1, 'one key, never a resend under another');
    assert.deepEqual(new Set(proxy.seen.lookups), new Set(proxy.seen.writes), 'asked about that key');
    assert.equal(countDemandes('gien', 'reservation-salle'), before + 1, 'exactly one demande');
    await expectNoAxeViolations(page, 'receipt found by the lookup');
    await screenshot(page, 'procedure-outcome-found');
  } finally {
    await context.close();
    await proxy.restore();
  }
});

test('a submission that never arrived: confirmed not written, then a changed answer goes under a new key, once', async () => {
  const proxy = await behindProxy('gien', { movedPort: MOVED_PORT });
  const { context, page } = await openPage(browser);
  try {
    const before = countDemandes('gien', 'reservation-salle');
    await startBooking(page);
    proxy.faults.writes = 'drop-before';
    await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
    const notWritten = page.getByRole('status').filter({ hasText: 'Votre demande n’est pas arrivée' });
    await notWritten.getByText(/Ville de Gien confirme ne pas l’avoir reçue/).waitFor();
    assert.equal(countDemandes('gien', 'reservation-salle'), before, 'nothing written');
    await expectNoAxeViolations(page, 'review after a confirmed loss');
    await screenshot(page, 'procedure-outcome-not-written');

    // Now the answers may change; the changed answers get a new key.
    proxy.faults.writes = 'pass';
    await changeButtons(page).first().click();
    await page.getByLabel('Nombre de participants').fill('45');
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await page.getByRole('heading', { name: 'Votre demande a bien été envoyée' }).waitFor();
    assert.equal(countDemandes('gien', 'reservation-salle'), before + 1, 'exactly one demande');
    const keys = [...new Set(proxy.seen.writes)];
    assert.equal(keys.length, 2, 'the lost attempt and the changed answers');
    assert.equal(proxy.seen.writes.at(-1), keys[1], 'changed answers, new key');
  } finally {
    await context.close();
    await proxy.restore();
  }
});
