// Kiosk mode (a France services house's shared touch screen): the same build served with kiosk
// settings. A full journey, then inactivity → countdown → wipe, and the next citizen finds
// nothing of the previous one: storage, DOM, history, back button, identity provider session.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, openPage, expectNoAxeViolations, screenshot, signIn,
} from './harness.mjs';

const KIOSK_URL = process.env.GUICHET_KIOSK_URL ?? 'http://127.0.0.1:8081';
const ISSUER = 'http://127.0.0.1:8090';
const TOUCH = { viewport: { width: 1024, height: 1366 }, hasTouch: true };

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function kioskPage() {
  const opened = await openPage(browser, TOUCH);
  await opened.page.clock.install();
  await opened.page.goto(`${KIOSK_URL}/`);
  await opened.page.getByRole('main').waitFor();
  return opened;
}

/** Everything the browser still holds for this origin, for the "nothing survives" checks. */
async function leftovers(page) {
  return page.evaluate(() => ({
    local: Object.keys(localStorage).filter((k) => k.startsWith('guichet.')),
    session: Object.keys(sessionStorage),
    text: document.body.innerText,
    history: history.length,
  }));
}

/** Visible buttons, button-like links and text fields smaller than a 44 px touch target. */
async function smallTargets(page) {
  return page.evaluate(() => [...document.querySelectorAll('button, .gu-button, input:not([type=checkbox]):not([type=radio]), select, [role=option]')]
    .filter((e) => e.offsetParent !== null)
    .map((e) => ({ what: `${e.tagName.toLowerCase()} “${(e.textContent || e.getAttribute('aria-label') || e.id).trim().slice(0, 40)}”`, height: e.getBoundingClientRect().height }))
    .filter((t) => t.height < 44)
    .map((t) => `${t.what}: ${t.height.toFixed(0)} px`));
}

/** The page's text once it has stopped navigating (a page may redirect itself when shown). */
async function settledText(page) {
  for (let attempt = 0; ; attempt++) {
    try {
      await page.waitForLoadState('load');
      await page.waitForTimeout(500);
      return await page.evaluate(() => document.body?.innerText ?? '');
    } catch (error) {
      if (attempt >= 5) throw error;
    }
  }
}

/** The identity provider's session cookies this browser still holds. */
async function issuerSessionCookies(context) {
  return (await context.cookies(ISSUER)).filter((c) => c.name === '_session').map((c) => c.name);
}

/** Every authorization request the page sends to the identity provider. */
function recordAuthorizationRequests(page) {
  const seen = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === ISSUER && url.pathname === '/auth') seen.push(url.searchParams);
  });
  return seen;
}

async function signInAt(page, path) {
  await page.goto(`${KIOSK_URL}${path}`);
  await signIn(page, 'camille.martin', { button: page.getByRole('main').getByRole('button', { name: 'Se connecter' }) });
}

test('a full kiosk journey, then inactivity wipes everything for the next citizen', async () => {
  const { context, page } = await kioskPage();
  const bar = page.getByRole('region', { name: 'Borne en libre-service' });
  await bar.getByText('Appareil partagé').waitFor();
  assert.ok(await page.evaluate(() => document.documentElement.classList.contains('gu-kiosk')));
  const target = await bar.getByRole('button', { name: 'Recommencer' }).boundingBox();
  assert.ok(target.height >= 44, `touch targets are at least 44 px (got ${target.height})`);
  assert.deepEqual(await smallTargets(page), [], 'every button and field is at least 44 px high');
  await expectNoAxeViolations(page, 'kiosk home');
  await screenshot(page, 'kiosk-home');

  // Commune, service, hand-off to the citizen's phone.
  await page.getByRole('combobox', { name: 'Votre commune' }).fill('gien');
  await page.getByRole('option', { name: /^Gien 45500/ }).tap();
  await page.getByRole('link', { name: 'Demander un acte de naissance' }).tap();
  await page.getByRole('heading', { name: 'Continuer sur votre téléphone' }).waitFor();
  await page.getByRole('img', { name: 'QR code de l’adresse de cette page' }).waitFor();
  await page.getByText(`${KIOSK_URL}/service/gien/acte-naissance`).waitFor();
  assert.deepEqual(await smallTargets(page), [], 'every button and field is at least 44 px high');
  await expectNoAxeViolations(page, 'kiosk service page');
  await screenshot(page, 'kiosk-service');
  // On the kiosk printer: the service and its QR code, without the kiosk's controls.
  await page.emulateMedia({ media: 'print' });
  assert.ok(await bar.isHidden(), 'the kiosk bar is not printed');
  assert.ok(await page.getByRole('img', { name: 'QR code de l’adresse de cette page' }).isVisible(), 'the QR code is printed');
  assert.ok(await page.getByRole('heading', { level: 1, name: 'Demander un acte de naissance' }).isVisible());
  await screenshot(page, 'kiosk-service-print');
  await page.emulateMedia({ media: 'screen' });

  // Help from a person.
  await bar.getByRole('link', { name: 'Demander de l’aide à un conseiller' }).tap();
  await page.getByRole('heading', { name: 'France services du Giennois' }).waitFor();
  await page.getByText('12 quai Lenoir, 45500 Gien').waitFor();
  await expectNoAxeViolations(page, 'kiosk help');
  await screenshot(page, 'kiosk-help');

  // Sign in and send a demande — by touch only, as a citizen at the kiosk would.
  await page.goBack();
  await page.getByRole('link', { name: 'Faire la démarche en ligne' }).tap();
  await page.getByRole('heading', { name: 'Connectez-vous pour faire cette démarche' }).waitFor();
  await signIn(page, 'camille.martin', { button: page.getByRole('main').getByRole('button', { name: 'Se connecter' }) });
  assert.equal(new URL(page.url()).pathname, '/service/gien/acte-naissance/demarche');
  await page.getByLabel('Oui, pré-remplir le formulaire avec ces informations').check();
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByText('jusqu’à la fin de votre session sur cette borne').waitFor();
  assert.ok(!(await page.getByRole('main').innerText()).includes('cet appareil'), 'the form never says “sur cet appareil” on a kiosk');
  await page.getByLabel('Moi-même').check();
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByLabel('Extrait sans filiation').check();
  await page.getByLabel('Nombre d’exemplaires').fill('1');
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
  await page.getByRole('heading', { name: 'Votre demande a bien été envoyée' }).waitFor();
  await page.getByRole('img', { name: 'QR code de l’adresse de suivi de la demande' }).waitFor();
  await expectNoAxeViolations(page, 'kiosk receipt');
  await screenshot(page, 'kiosk-receipt');
  // Nothing personal was ever written to the device's persistent storage.
  assert.deepEqual((await leftovers(page)).local, []);

  // Inactivity: a countdown, then the wipe.
  await page.clock.fastForward('02:31');
  const dialog = page.getByRole('alertdialog', { name: 'Êtes-vous toujours là ?' });
  await dialog.waitFor();
  await dialog.getByRole('timer').waitFor();
  await expectNoAxeViolations(page, 'kiosk inactivity warning');
  await screenshot(page, 'kiosk-countdown');
  await page.clock.fastForward('00:35');
  await page.waitForURL(`${KIOSK_URL}/?session=terminee`, { timeout: 20000 });
  await page.getByText('Session terminée').waitFor();
  await screenshot(page, 'kiosk-after-wipe');

  const after = await leftovers(page);
  assert.deepEqual(after.local, [], 'no guichet.* key in localStorage');
  assert.deepEqual(after.session, [], 'sessionStorage is empty');
  for (const personal of ['Camille', 'Martin', 'GIEN-20', '12 rue Louis Blanc']) {
    assert.ok(!after.text.includes(personal), `the page still shows “${personal}”`);
  }
  assert.ok(after.history <= 3, `history holds ${after.history} entries`);
  await page.getByRole('banner').getByRole('button', { name: 'Se connecter' }).waitFor();
  assert.equal(await page.getByRole('banner').getByText('Ma commune :').count(), 0, 'the commune is forgotten');

  // The back button, pressed again and again, leads to nothing of the previous citizen.
  for (let step = 0; step < after.history; step++) {
    await page.goBack().catch(() => {});
    const back = await settledText(page);
    for (const personal of ['Camille', 'GIEN-20', '12 rue Louis Blanc']) {
      assert.ok(!back.includes(personal), `back (${step + 1}) shows “${personal}” at ${page.url()}`);
    }
  }

  // The identity provider's session is over too: no session cookie is left there, and signing in
  // asks for credentials again.
  assert.deepEqual(await issuerSessionCookies(context), [], 'the identity provider session is ended');
  await page.goto(`${KIOSK_URL}/mes-demarches`);
  await page.getByRole('main').getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { name: 'Se connecter à Guichet' }).waitFor();
  await context.close();
});

test('"Terminer et tout effacer" ends the session at once', async () => {
  const { context, page } = await kioskPage();
  await signInAt(page, '/compte');
  await page.getByRole('heading', { name: 'Vos informations' }).waitFor();
  await page.getByText('camille.martin@example.fr').waitFor();
  const account = await page.getByRole('main').innerText();
  assert.ok(!account.includes('cet appareil'), `a kiosk never says anything is kept “sur cet appareil”: ${account.split('\n').filter((l) => l.includes('cet appareil')).join(' | ')}`);
  assert.ok(account.includes('dans cette session'), 'it says what the session keeps');
  await page.getByRole('button', { name: 'Terminer et tout effacer' }).tap();
  await page.waitForURL(`${KIOSK_URL}/?session=terminee`, { timeout: 20000 });
  await page.getByText('Session terminée').waitFor();
  const after = await leftovers(page);
  assert.deepEqual(after.local, []);
  assert.deepEqual(after.session, []);
  assert.ok(!after.text.includes('camille.martin@example.fr'));
  await expectNoAxeViolations(page, 'kiosk after finishing');
  await context.close();
});

test('a failed token request, then "Terminer et tout effacer": the next person must give a password', async () => {
  const { context, page } = await kioskPage();
  const authorizations = recordAuthorizationRequests(page);
  // A network blip on the way back from the identity provider: its token request fails once.
  let failures = 0;
  await page.route(`${ISSUER}/token`, (route) => {
    if (failures++ === 0) return route.abort('failed');
    return route.continue();
  });
  await page.goto(`${KIOSK_URL}/compte`);
  await page.getByRole('main').getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { name: 'Se connecter à Guichet' }).waitFor();
  await page.getByLabel('Identifiant').fill('camille.martin');
  await page.getByLabel('Mot de passe').fill('demo');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL((url) => url.origin === KIOSK_URL && url.pathname === '/connexion/retour');
  await page.getByText('La connexion n’a pas abouti').first().waitFor();
  assert.equal(failures, 1, 'the token request was attempted once');
  // The portal holds no session, but the identity provider does.
  assert.deepEqual(await issuerSessionCookies(context), ['_session'], 'the issuer has a session');
  await screenshot(page, 'kiosk-token-request-failed');

  await page.getByRole('button', { name: 'Terminer et tout effacer' }).tap();
  await page.waitForURL(`${KIOSK_URL}/?session=terminee`, { timeout: 20000 });
  await page.getByText('Session terminée').waitFor();
  assert.deepEqual(await issuerSessionCookies(context), [], 'the wipe ended the issuer session anyway');

  // The next person: "Se connecter" asks for a password, and never lands in Camille's account.
  await page.getByRole('banner').getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { name: 'Se connecter à Guichet' }).waitFor();
  assert.ok(await page.getByLabel('Mot de passe').isVisible());
  assert.equal(await page.getByLabel('Identifiant').inputValue(), '', 'nothing of the previous login is filled in');
  assert.equal(authorizations.length, 2);
  for (const params of authorizations) {
    assert.equal(params.get('prompt'), 'login', 'a kiosk sign-in always forces a fresh login');
    assert.equal(params.get('max_age'), '0');
    assert.equal(params.get('client_id'), 'guichet-kiosque');
  }
  await context.close();
});

test('inactivity on the identity provider’s page returns to a wiped portal', async () => {
  const { context, page } = await kioskPage();
  await page.goto(`${KIOSK_URL}/compte`);
  await page.getByRole('main').getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { name: 'Se connecter à Guichet' }).waitFor();
  await page.getByLabel('Identifiant').fill('camille.mar');
  await page.getByText('Borne partagée').waitFor();
  await expectNoAxeViolations(page, 'kiosk login page at the identity provider');
  // The citizen walks away, half-way through typing their login.
  await page.clock.fastForward('03:05');
  await page.waitForURL(`${KIOSK_URL}/?session=terminee`, { timeout: 20000 });
  await page.getByText('Session terminée').waitFor();
  const after = await leftovers(page);
  assert.deepEqual(after.session, [], 'the abandoned sign-in is forgotten');
  assert.deepEqual(await issuerSessionCookies(context), []);
  await page.getByRole('banner').getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { name: 'Se connecter à Guichet' }).waitFor();
  assert.equal(await page.getByLabel('Identifiant').inputValue(), '');
  await context.close();
});

test('"Recommencer" is a full wipe', async () => {
  const { context, page } = await kioskPage();
  await signInAt(page, '/compte');
  await page.getByText('camille.martin@example.fr').waitFor();
  await page.getByRole('region', { name: 'Borne en libre-service' }).getByRole('button', { name: 'Recommencer' }).tap();
  await page.waitForURL(`${KIOSK_URL}/?session=terminee`, { timeout: 20000 });
  const after = await leftovers(page);
  assert.deepEqual(after.session, []);
  assert.ok(!after.text.includes('Camille'), 'the previous citizen is gone');
  assert.deepEqual(await issuerSessionCookies(context), [], 'the issuer session is ended too');
  await page.getByRole('banner').getByRole('button', { name: 'Se connecter' }).waitFor();
  await context.close();
});
