// Mes démarches: every demande across providers, what needs the citizen first, replies with a
// document (received exactly once), "new" markers, and a provider that is down.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  launchBrowser, openPage, visit, expectNoAxeViolations, screenshot, signIn, FIXTURES,
} from './harness.mjs';
import { stopProvider, startProvider, agent } from './stack.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function signedInDashboard(page) {
  await visit(page, '/mes-demarches');
  await signIn(page, 'camille.martin', { button: page.getByRole('main').getByRole('button', { name: 'Se connecter' }) });
  await page.getByRole('heading', { level: 1, name: 'Mes démarches' }).waitFor();
}

const rows = (page) => page.locator('.gu-demandes > li');

test('all demandes from every provider, action required first, with new markers and replies', async () => {
  const { context, page } = await openPage(browser);
  // The agent asks for a document on the room booking (Gien): it must come first.
  agent('gien', 'request-document', 'seed-gien-salle-1', 'Attestation d’assurance responsabilité civile');
  await signedInDashboard(page);
  await page.getByRole('link', { name: 'Réservation d’une salle municipale' }).waitFor();
  // Demandes from the commune, the EPCI and the département are all listed.
  await page.getByText(/Ville de Gien — N° GIEN-/).first().waitFor();
  await page.getByText(/Communauté de communes Giennoises — N° CCG-/).first().waitFor();
  await page.getByText(/Département du Loiret — N° LOIRET-/).first().waitFor();
  const first = rows(page).first();
  await first.getByRole('link', { name: 'Réservation d’une salle municipale' }).waitFor();
  await first.getByText('Action requise').waitFor();
  await first.getByText('Pièce à fournir : Attestation d’assurance responsabilité civile').waitFor();
  await rows(page).nth(1).getByText('Action requise').waitFor();
  // Everything is new at first; the header counts it.
  await first.getByText('Nouveau').waitFor();
  await page.getByRole('banner').getByText(/\d+ nouveautés/).waitFor();
  await expectNoAxeViolations(page, 'dashboard');
  await screenshot(page, 'dashboard');

  // Filter by status and by collectivity.
  await page.getByRole('navigation', { name: 'Filtrer mes démarches' }).getByRole('link', { name: /Acceptée/ }).click();
  await page.waitForURL(/etat=accepted/);
  for (const text of await rows(page).allInnerTexts()) assert.match(text, /Acceptée/);
  await page.getByRole('navigation', { name: 'Filtrer mes démarches' }).getByRole('link', { name: /Tous les états/ }).click();

  // Open the demande by keyboard: timeline, message, what is expected.
  const link = first.getByRole('link', { name: 'Réservation d’une salle municipale' });
  await link.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Réservation d’une salle municipale' }).waitFor();
  await page.getByText('Nouveau depuis votre dernière visite').waitFor();
  await page.getByRole('heading', { name: 'Ce qui est attendu de vous' }).first().waitFor();
  await page.getByText('la salle Marcel-Pagnol est disponible').waitFor();
  await expectNoAxeViolations(page, 'demande');
  await screenshot(page, 'demande-action-required');

  // Reply with the document; the provider receives it exactly once.
  const before = JSON.parse(agent('gien', 'show', 'seed-gien-salle-1'));
  await page.getByLabel('Votre message').fill('Voici l’attestation demandée.');
  await page.getByLabel('Documents à joindre').setInputFiles(join(FIXTURES, 'livret-de-famille.pdf'));
  await page.getByText('Fichier ajouté :').waitFor();
  const send = page.getByRole('button', { name: 'Envoyer ma réponse' });
  await send.click();
  await page.getByText('Votre réponse a bien été envoyée.').waitFor();
  const after = JSON.parse(agent('gien', 'show', 'seed-gien-salle-1'));
  assert.equal(after.messages.length, before.messages.length + 1);
  assert.equal(after.documents.length, before.documents.length + 1);
  assert.equal(after.status.bucket, 'in_review', 'answering every expectation returns the demande to review');
  await page.getByText('Réponse reçue, en cours de traitement').first().waitFor();

  // Back on the dashboard, the seen demande is no longer marked new.
  await page.getByRole('link', { name: 'Retour à mes démarches' }).click();
  const salle = rows(page).filter({ hasText: 'Réservation d’une salle municipale' });
  await salle.getByText('En cours de traitement', { exact: true }).waitFor();
  assert.equal(await salle.getByText('Nouveau').count(), 0);
  await context.close();
});

test('a provider that is down gets its own notice while the others display', async () => {
  const { context, page } = await openPage(browser);
  await stopProvider('loiret');
  try {
    await signedInDashboard(page);
    const notice = page.locator('.gu-provider-notice').filter({ hasText: 'Département du Loiret' });
    await notice.getByText('ne peuvent pas être affichées pour le moment').waitFor();
    await notice.getByText('Le service de la collectivité ne répond pas pour le moment.').waitFor();
    await page.getByText(/Ville de Gien — N° GIEN-/).first().waitFor();
    assert.equal(await page.getByText(/Département du Loiret — N° LOIRET-/).count(), 0);
    await expectNoAxeViolations(page, 'dashboard with a provider down');
    await screenshot(page, 'dashboard-provider-down');
    await startProvider('loiret');
    await notice.getByRole('button', { name: /Réessayer/ }).click();
    await page.getByText(/Département du Loiret — N° LOIRET-/).first().waitFor();
    assert.equal(await page.locator('.gu-provider-notice').count(), 0);
  } finally {
    await startProvider('loiret').catch(() => {});
  }
  await context.close();
});

/** Books a room at Gien (a one-page form) from a signed-in page; returns the receipt's reference. */
async function bookRoom(page, association) {
  await page.goto(new URL('/service/gien/reservation-salle/demarche', page.url()).toString());
  await page.getByLabel('Non, je préfère tout saisir moi-même').check();
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByLabel('Salle Marcel-Pagnol (80 personnes)').check();
  const inAMonth = new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10);
  await page.getByLabel('Date souhaitée').fill(inAMonth);
  await page.getByLabel('Nombre de participants').fill('40');
  await page.getByLabel('Pour une association').check();
  await page.getByLabel('Nom de l’association').fill(association);
  await page.getByLabel('Adresse e-mail').fill('camille.martin@example.fr');
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByRole('heading', { name: 'Vérifiez vos réponses avant d’envoyer' }).waitFor();
  await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
  await page.getByRole('heading', { name: 'Votre demande a bien été envoyée' }).waitFor();
  return (await page.locator('.gu-panel__reference').innerText()).trim();
}

test('a demande just sent is in Mes démarches at once, straight from the receipt, before its provider lists it', async () => {
  const { context, page } = await openPage(browser);
  await signedInDashboard(page);
  await page.getByText(/Ville de Gien — N° GIEN-/).first().waitFor();
  // From the moment the demande is sent, Gien's list is held: only the answer to the submission
  // itself can put the new demande on the dashboard.
  const held = [];
  let sent = false;
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().includes('/v1/forms/reservation-salle/demandes')) sent = true;
  });
  await page.route('http://127.0.0.1:8101/v1/demandes', (route) => (sent ? held.push(route) : route.continue()));
  const reference = await bookRoom(page, 'Les Amis du Pont-Canal');
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: /Mes démarches/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Mes démarches' }).waitFor();
  const mine = rows(page).filter({ hasText: reference });
  await mine.getByText('Déposée').waitFor();
  await mine.getByRole('link', { name: 'Réservation d’une salle municipale' }).waitFor();
  assert.equal(await mine.getByText('Nouveau').count(), 0, 'the citizen knows about it: not marked new');
  assert.ok(held.length >= 1, 'the write asked Gien for its list again at once');
  await screenshot(page, 'dashboard-just-sent');
  // Gien answers: the demande is listed once, as the provider now describes it.
  sent = false;
  for (const route of held) await route.continue();
  await page.unroute('http://127.0.0.1:8101/v1/demandes');
  await page.getByText(/Ville de Gien — N° GIEN-/).first().waitFor();
  await page.waitForFunction((ref) => document.querySelectorAll('.gu-demandes > li').length > 1
    && [...document.querySelectorAll('.gu-demandes > li')].filter((li) => li.textContent.includes(ref)).length === 1, reference);

  // Opening Mes démarches again asks providers whose answer is more than a few seconds old: what
  // the agent did meanwhile is there, without waiting for the next poll.
  agent('gien', 'status', reference, 'in_review', '--label', 'Réservation à l’étude');
  await page.getByRole('link', { name: /Guichet .* retour à l’accueil/ }).click();
  await page.waitForTimeout(5500);
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: /Mes démarches/ }).click();
  await rows(page).filter({ hasText: reference }).getByText('Réservation à l’étude').waitFor({ timeout: 5000 });
  await context.close();
});
