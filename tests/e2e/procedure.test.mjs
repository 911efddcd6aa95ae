// One account and doing a procedure online, against the demo stack (real identity provider,
// real reference providers): sign-in, consent and pre-filled values, a multi-page form with a
// condition and an attachment, a reload mid-form, sending while the provider is down (answers
// frozen until it can be asked) and again when it is back (exactly one demande), the receipt, the
// transparency log, token confinement. Faults of other kinds: procedure-outcome, procedure-drafts
// and procedure-upload.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  launchBrowser, openPage, visit, expectNoAxeViolations, screenshot, signIn, recordBearerRequests, FIXTURES,
} from './harness.mjs';
import { stopProvider, startProvider, agent, declaredOrigins } from './stack.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const continueButton = (page) => page.getByRole('button', { name: 'Continuer' });

function countActes() {
  return Number(agent('gien', 'count', '--subject', 'demo-camille-martin', '--form', 'acte-naissance'));
}

test('a birth certificate for my child, from sign-in to receipt, surviving a reload and an outage', async () => {
  const { context, page, problems } = await openPage(browser);
  const bearer = recordBearerRequests(page);
  const before = countActes();

  await visit(page, '/service/gien/acte-naissance');
  await page.getByRole('link', { name: 'Faire la démarche en ligne' }).click();
  await page.getByRole('heading', { name: 'Connectez-vous pour faire cette démarche' }).waitFor();
  await expectNoAxeViolations(page, 'sign-in required');
  await signIn(page, 'camille.martin', { button: page.getByRole('main').getByRole('button', { name: 'Se connecter' }) });
  assert.equal(new URL(page.url()).pathname, '/service/gien/acte-naissance/demarche');

  // Consent: what would be pre-filled, and for whom.
  await page.getByRole('heading', { name: 'Utiliser les informations de votre compte ?' }).waitFor();
  await page.getByText('Camille', { exact: true }).waitFor();
  await page.getByText('12 rue Louis Blanc, 45500 Gien').waitFor();
  await page.getByText('Ville de Gien', { exact: true }).waitFor();
  await expectNoAxeViolations(page, 'consent');
  await screenshot(page, 'procedure-consent');
  await page.getByLabel('Oui, pré-remplir le formulaire avec ces informations').check();
  await continueButton(page).click();

  // Page 1: pre-filled values, then the condition reveals the relationship and its proof.
  await page.getByRole('heading', { name: 'La personne concernée par l’acte' }).waitFor();
  assert.equal(await page.getByLabel('Prénom(s) de la personne').inputValue(), 'Camille');
  assert.equal(await page.getByLabel('Date de naissance').inputValue(), '1988-04-12');
  assert.equal(await page.getByText('Votre lien avec cette personne').count(), 0);
  await page.getByLabel('Une autre personne (mon enfant, mon parent, mon conjoint…)').check();
  await page.getByText('Votre lien avec cette personne').waitFor();
  await page.getByLabel('Prénom(s) de la personne').fill('Léa');
  await page.getByLabel('Date de naissance').fill('2016-05-20');
  await continueButton(page).click();
  const summary = page.getByRole('alert');
  await summary.getByRole('link', { name: /Choisissez une réponse pour « Votre lien avec cette personne »/ }).waitFor();
  await summary.getByRole('link', { name: /Ajoutez le document/ }).waitFor();
  await expectNoAxeViolations(page, 'form errors');
  await screenshot(page, 'procedure-errors');
  await page.getByLabel('Je suis son parent (acte de mon enfant)').check();
  await page.getByLabel(/Justificatif du lien/).setInputFiles(join(FIXTURES, 'livret-de-famille.pdf'));
  await page.getByText('Fichier ajouté :').waitFor();
  await continueButton(page).click();

  // Page 2, then a reload: the draft is found (after a silent sign-in) where it was.
  await page.getByRole('heading', { name: 'L’acte demandé' }).waitFor();
  await page.getByLabel('Copie intégrale').check();
  await page.getByLabel('Nombre d’exemplaires').fill('2');
  await page.reload();
  await page.getByText('Nous avons retrouvé votre brouillon').waitFor();
  await page.getByRole('heading', { name: 'L’acte demandé' }).waitFor();
  assert.equal(await page.getByLabel('Nombre d’exemplaires').inputValue(), '2');
  assert.ok(await page.getByLabel('Copie intégrale').isChecked());
  await expectNoAxeViolations(page, 'form page after reload');
  await continueButton(page).click();

  // Page 3: the address comes from the account; on to the review.
  await page.getByRole('heading', { name: 'Où envoyer l’acte' }).waitFor();
  assert.equal(await page.getByLabel('Numéro et voie').inputValue(), '12 rue Louis Blanc');
  await continueButton(page).click();
  await page.getByRole('heading', { name: 'Vérifiez vos réponses avant d’envoyer' }).waitFor();
  await page.getByText('livret-de-famille.pdf').waitFor();
  await expectNoAxeViolations(page, 'review');
  await screenshot(page, 'procedure-review');

  // The provider is down: a clear message, nothing lost, nothing created. A browser cannot tell a
  // refused connection from one cut after the provider wrote the demande, so the answers stay
  // frozen until the provider can be asked; sending the same answers again is always safe.
  await stopProvider('gien');
  await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
  const failure = page.getByRole('alert').filter({ hasText: 'Nous ne savons pas encore si votre demande est arrivée' });
  await failure.getByText('Le service de la collectivité ne répond pas pour le moment.').first().waitFor();
  await failure.getByText('Vos réponses sont conservées').waitFor();
  await failure.getByText(/La vérification n’a pas abouti/).waitFor();
  assert.equal(await page.getByRole('button', { name: /^Modifier/ }).count(), 0, 'answers frozen');
  await expectNoAxeViolations(page, 'send failed');
  await screenshot(page, 'procedure-send-failed');
  await startProvider('gien');
  assert.equal(countActes(), before, 'nothing was created while the provider was down');

  // Back up: the retry goes through, once.
  await page.getByRole('button', { name: 'Réessayer l’envoi' }).click();
  await page.getByRole('heading', { name: 'Votre demande a bien été envoyée' }).waitFor();
  const reference = await page.locator('.gu-panel__reference').innerText();
  assert.match(reference, /^GIEN-\d{4}-\d{6}$/);
  assert.equal(countActes(), before + 1, 'exactly one new demande');
  await page.getByRole('img', { name: 'QR code de l’adresse de suivi de la demande' }).waitFor();
  const tracking = await page.getByRole('link', { name: 'Suivre cette demande' }).getAttribute('href');
  assert.match(tracking, /^\/mes-demarches\/gien\/[0-9a-f-]{36}$/);
  await expectNoAxeViolations(page, 'receipt');
  await screenshot(page, 'procedure-receipt');
  await page.emulateMedia({ media: 'print' });
  await screenshot(page, 'procedure-receipt-print');
  await page.emulateMedia({ media: 'screen' });

  // "Qui a reçu mes données ?"
  await page.getByRole('link', { name: /Mon compte/ }).click();
  const log = page.getByRole('region', { name: 'Qui a reçu mes données ?' });
  await log.getByText(reference, { exact: false }).waitFor();
  await log.getByText(/Informations transmises :.*Justificatif du lien/).waitFor();
  await expectNoAxeViolations(page, 'account');
  await screenshot(page, 'account');

  // The token only ever went to declared provider origins.
  const allowed = declaredOrigins();
  assert.ok(bearer.length > 0);
  for (const { origin, url } of bearer) assert.ok(allowed.has(origin), `token sent to ${url}`);
  assert.deepEqual(problems.filter((p) => !p.includes('Failed to load resource')), []);
  await context.close();
});

test('school transport at the département, with a photo and the boarding condition', async () => {
  const { context, page } = await openPage(browser);
  await visit(page, '/service/loiret/transport-scolaire/demarche');
  await signIn(page, 'camille.martin', { button: page.getByRole('main').getByRole('button', { name: 'Se connecter' }) });
  await page.getByLabel('Non, je préfère tout saisir moi-même').check();
  await continueButton(page).click();
  await page.getByLabel('Prénom de l’élève').fill('Léa');
  assert.equal(await page.getByLabel('Nom de l’élève', { exact: true }).inputValue(), '', 'nothing pre-filled without consent');
  await page.getByLabel('Nom de l’élève', { exact: true }).fill('Martin');
  await page.getByLabel('Date de naissance de l’élève').fill('2012-06-03');
  await page.getByLabel('Établissement fréquenté à la rentrée').fill('Lycée Bernard-Palissy, Gien');
  await page.getByLabel('Interne').check();
  await page.getByText('Jour du trajet aller-retour hebdomadaire').waitFor();
  await page.getByLabel('Dimanche soir et vendredi soir').check();
  await continueButton(page).click();
  // An unaccepted format is refused at once, before any upload.
  await page.getByLabel(/Photo d’identité/).setInputFiles(join(FIXTURES, 'livret-de-famille.pdf'));
  await page.getByText(/doit être au format JPEG ou PNG/).first().waitFor();
  await page.getByLabel(/Photo d’identité/).setInputFiles(join(FIXTURES, 'photo-identite.png'));
  await page.getByLabel('Nom du responsable légal').fill('Martin');
  await page.getByLabel('Numéro et voie').fill('12 rue Louis Blanc');
  await page.getByLabel('Code postal').fill('45500');
  await page.getByLabel('Commune', { exact: true }).fill('Gien');
  await page.getByLabel('Adresse e-mail').fill('camille.martin@example.fr');
  await continueButton(page).click();
  await page.getByRole('heading', { name: 'Vérifiez vos réponses avant d’envoyer' }).waitFor();
  await page.getByText('Dimanche soir et vendredi soir').waitFor();
  await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
  await page.getByRole('heading', { name: 'Votre demande a bien été envoyée' }).waitFor();
  assert.match(await page.locator('.gu-panel__reference').innerText(), /^LOIRET-/);
  await page.getByText('environ 3 semaines').waitFor();
  await expectNoAxeViolations(page, 'transport receipt');
  await context.close();
});
