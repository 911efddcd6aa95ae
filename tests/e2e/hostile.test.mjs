// The hostile-member suite (issue 11): a portal whose catalogue declares, next to the demo
// federation, members whose fragment or provider API misbehaves on purpose (tests/e2e/hostile/).
// For each: the harm stays with that member, the tab survives, the rest of the portal works within
// the deadline, and no script and no spoofed text reaches the page.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, openPage, expectNoAxeViolations, screenshot, signIn, recordBearerRequests,
} from './harness.mjs';
import { startHostileMember } from './hostile/server.mjs';
import { FORBIDDEN } from './hostile/texts.mjs';

const HOSTILE_URL = process.env.GUICHET_HOSTILE_URL ?? 'http://127.0.0.1:8082';
/** A provider's deadline over the whole exchange (src/providers/limits.rs READ_TIMEOUT), plus room. */
const PROVIDER_DEADLINE_MS = 8000 + 7000;
/** A fragment's deadline (src/net/limits.rs FRAGMENT), plus room. */
const FRAGMENT_DEADLINE_MS = 5000 + 7000;

let browser;
let member;
before(async () => {
  member = await startHostileMember();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await member?.stop();
});

/** Crashes and panics, as opposed to the expected console noise of refused requests. */
function crashes(problems) {
  return problems.filter((p) => p.startsWith('page error') || /panicked|RuntimeError|unreachable/.test(p));
}

/** Everything a catalogue text could have put in the page: text, attributes, links. */
async function pageSurface(page) {
  return page.evaluate(() => {
    const attributes = [...document.querySelectorAll('*')]
      .flatMap((e) => [...e.attributes].map((a) => a.value));
    return {
      text: document.body.textContent,
      attributes,
      links: [...document.querySelectorAll('a[href]')].map((a) => ({ href: a.getAttribute('href'), text: a.textContent.trim() })),
      pwned: window.pwned,
      // The longest text an element shows: the build's own inline scripts (the route table of
      // index.html, which lists every chunk file) are not catalogue text.
      longest: Math.max(0, ...[...document.querySelectorAll('body *:not(script):not(style)')].map((e) => (e.childElementCount === 0 ? e.textContent.length : 0))),
    };
  });
}

/** The warning notice about one member's catalogue. */
const memberNotice = (page, id) => page.locator(`.gu-member-problem[data-member="${id}"]`);

test('a fragment host that stalls after its headers leaves the portal usable and is reported for its member only', async () => {
  const { context, page, problems } = await openPage(browser);
  await page.goto(`${HOSTILE_URL}/`);
  const figures = page.getByRole('region', { name: 'Les collectivités réunies dans ce guichet' });
  await figures.getByText('collectivités', { exact: true }).waitFor();
  // The home page first shows the figures counted at build time (the demo's catalogue); the live
  // root catalogue — with the hostile members — replaces them once read. That must happen while
  // Nevoy's fragment is still open on the hostile server.
  const built = Number((await page.locator('meta[name="guichet-figures"]').getAttribute('content')).split(' ')[0]);
  await page.waitForFunction((n) => Number(document.querySelector('.gu-figures__value')?.textContent) > n, built, { timeout: 10000 });
  const asked = () => member.requests.some((r) => r.member === 'nevoy' && r.path === '/catalogue.toml');
  for (let i = 0; i < 50 && !asked(); i += 1) await page.waitForTimeout(100);
  assert.ok(asked(), 'the portal asked for the stalled fragment');
  assert.equal(member.openFragments('nevoy'), 1, 'the page shows the live catalogue before the stalled fragment ends');

  // Nevoy's page: its services are said to be on their way, then the member is reported — and
  // the services of the EPCI and département covering Nevoy are there all along.
  await page.goto(`${HOSTILE_URL}/commune/45227`);
  await page.getByRole('heading', { name: /Faire enlever mes encombrants/ }).first().waitFor();
  await page.locator('.gu-pending[data-member="nevoy"]').getByText('chargement de ses services').waitFor();
  await expectNoAxeViolations(page, 'commune page while a fragment is pending');
  const notice = memberNotice(page, 'nevoy');
  await notice.getByText('met trop de temps à répondre').waitFor({ timeout: FRAGMENT_DEADLINE_MS });
  await notice.getByText('Nevoy (test : catalogue qui se bloque) : une partie des services').waitFor();
  assert.equal(await page.locator('.gu-pending[data-member="nevoy"]').count(), 0);
  await expectNoAxeViolations(page, 'commune page with a stalled fragment reported');
  await screenshot(page, 'hostile-fragment-stalled');

  // Gien, served by honest members, shows nothing of Nevoy's trouble.
  await page.goto(`${HOSTILE_URL}/commune/45155`);
  await page.getByRole('heading', { name: /Demander un acte de naissance/ }).first().waitFor();
  assert.equal(await page.locator('.gu-member-problem').count(), 0);
  assert.deepEqual(crashes(problems), []);
  await context.close();
});

test('a fragment of 64 MB or not in UTF-8 is refused before parsing and reported for its member', async () => {
  const { context, page, problems } = await openPage(browser);
  await page.goto(`${HOSTILE_URL}/commune/45254`);
  await memberNotice(page, 'poilly-lez-gien').getByText('trop volumineuse : elle n’a pas été lue (plus de 512 Ko)').waitFor();
  assert.ok(member.stats.paddingBytesSent < 32 * 1024 * 1024, `the portal stopped reading (${member.stats.paddingBytesSent} of 64 MB sent)`);
  await screenshot(page, 'hostile-fragment-too-large');
  await page.goto(`${HOSTILE_URL}/commune/45108`);
  // Same diagnostic as `catalogue check`: where it breaks, and how to save the file as UTF-8.
  const coullons = memberNotice(page, 'coullons');
  await coullons.getByText('La liste des services contient des erreurs.').waitFor();
  await coullons.getByText('Détails pour les gestionnaires du guichet').click();
  await coullons.getByText(/not UTF-8: byte 0xE9 at byte offset \d+.*Windows-1252/).waitFor();
  await expectNoAxeViolations(page, 'commune page with a Latin-1 fragment');
  assert.deepEqual(crashes(problems), []);
  await context.close();
});

test('hostile catalogue text runs no script and shows no spoofed text', async () => {
  const { context, page, problems } = await openPage(browser);
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs += 1; d.dismiss(); });
  await page.goto(`${HOSTILE_URL}/commune/45280`);
  await page.getByRole('heading', { name: 'Louer la salle des fêtes de Saint-Gondon' }).waitFor();
  await memberNotice(page, 'saint-gondon').waitFor();
  for (const path of ['/commune/45280', '/service/saint-gondon/cantine', '/service/saint-gondon/paiement', '/service/saint-gondon/enorme']) {
    if (path !== '/commune/45280') await page.goto(`${HOSTILE_URL}${path}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const surface = await pageSurface(page);
    assert.equal(surface.pwned, undefined, `a script ran on ${path}`);
    assert.ok(!FORBIDDEN.test(surface.text), `bidi, zero-width or control characters in the text of ${path}: ${JSON.stringify(surface.text.match(FORBIDDEN))}`);
    assert.ok(!surface.attributes.some((a) => FORBIDDEN.test(a)), `bidi, zero-width or control characters in an attribute of ${path}`);
    assert.ok(!surface.text.includes('0001 €'), `the reversed price reached ${path}`);
    assert.ok(surface.longest < 5000, `a text of ${surface.longest} characters reached ${path}`);
    for (const { href, text } of surface.links) {
      assert.ok(!/^\s*(javascript|data|vbscript):/i.test(href), `link to ${href} on ${path}`);
      const shown = text.match(/^(?:https?:\/\/)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?:\/|$)/i);
      if (shown && /^https?:/i.test(href)) {
        assert.equal(new URL(href).hostname, shown[1].toLowerCase(), `“${text}” leads to ${href} on ${path}`);
      }
    }
  }
  await screenshot(page, 'hostile-text');
  // A fragment cannot speak for another member: Gien shows no service from Saint-Gondon's file.
  await page.goto(`${HOSTILE_URL}/service/gien/faux-acte-naissance`);
  await page.getByRole('heading', { level: 1, name: 'Service introuvable' }).waitFor();
  await page.goto(`${HOSTILE_URL}/commune/45155`);
  await page.getByRole('heading', { name: /Demander un acte de naissance/ }).first().waitFor();
  assert.equal(await page.getByText('(officiel)').count(), 0);
  assert.equal(dialogs, 0);
  assert.deepEqual(crashes(problems), []);
  await context.close();
});

test('providers answering 200 MB, garbage, the wrong schema, 500, no CORS or a stalled body each get their own notice; the tab survives', async () => {
  const { context, page, problems } = await openPage(browser);
  const bearer = recordBearerRequests(page);
  await page.goto(`${HOSTILE_URL}/mes-demarches`);
  await signIn(page, 'camille.martin', { button: page.getByRole('main').getByRole('button', { name: 'Se connecter' }) });
  await page.getByRole('heading', { level: 1, name: 'Mes démarches' }).waitFor();
  const providerNotice = (id) => page.locator(`.gu-provider-notice[data-member="${id}"]`);

  // Honest members are listed whatever the others do.
  await page.getByText(/Ville de Gien — N° GIEN-/).first().waitFor();
  await page.getByText(/Département du Loiret — N° LOIRET-/).first().waitFor();
  const expected = {
    boismorand: 'Le service de la collectivité a envoyé une réponse trop volumineuse : elle n’a pas été lue (plus de 4 Mo).',
    'les-choux': 'Le service de la collectivité a envoyé une réponse illisible.',
    langesse: 'Le service de la collectivité a envoyé une réponse illisible.',
    'saint-brisson-sur-loire': 'Le service de la collectivité a rencontré une erreur (HTTP 500)',
    'saint-martin-sur-ocre': 'Le service de la collectivité ne répond pas pour le moment.',
  };
  for (const [id, why] of Object.entries(expected)) {
    await providerNotice(id).getByText(why, { exact: true }).waitFor();
    await providerNotice(id).getByRole('button', { name: /Réessayer/ }).waitFor();
  }
  assert.ok(member.stats.hugeBytesSent < 64 * 1024 * 1024, `the portal stopped reading the 200 MB list (${member.stats.hugeBytesSent} bytes sent)`);

  // Broken rows are dropped and counted; the other rows stay, an unknown bucket shows as in progress.
  const moulinet = page.locator('.gu-demandes > li').filter({ hasText: 'MOULINET-2026-000003' });
  await moulinet.getByText('En cours de traitement').waitFor();
  await moulinet.getByText('En attente de paiement').waitFor();
  await page.getByText(/Le Moulinet-sur-Solin .* N° MOULINET-2026-000001/).waitFor();
  await providerNotice('le-moulinet-sur-solin').getByText('une démarche n’a pas pu être lue').waitFor();
  await page.getByRole('navigation', { name: 'Filtrer mes démarches' }).getByRole('link', { name: /En cours de traitement/ }).click();
  await page.waitForURL(/etat=in_review/);
  await page.getByText('N° MOULINET-2026-000003').waitFor();
  await page.getByRole('navigation', { name: 'Filtrer mes démarches' }).getByRole('link', { name: /Tous les états/ }).click();

  // Briare stalls after its headers: still loading, and opening the page again and again never
  // stacks a second request while the first is in flight.
  await page.locator('.gu-pending[data-member="briare"]').waitFor();
  for (let i = 0; i < 3; i += 1) {
    await page.getByRole('link', { name: /Guichet .* retour à l’accueil/ }).click();
    await page.getByRole('heading', { level: 1, name: /Vos démarches/ }).waitFor();
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: /Mes démarches/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Mes démarches' }).waitFor();
  }
  assert.equal(member.stats.briareCalls, 1, 'no second request while one is in flight');
  // The deadline covers the body: the stalled answer ends as "too slow", and "Réessayer" works.
  await providerNotice('briare').getByText('met trop de temps à répondre').waitFor({ timeout: PROVIDER_DEADLINE_MS });
  await expectNoAxeViolations(page, 'dashboard with hostile providers');
  await screenshot(page, 'hostile-dashboard');
  await providerNotice('briare').getByRole('button', { name: /Réessayer/ }).click();
  await page.getByText(/N° BRIARE-2026-000001/).waitFor();
  assert.equal(member.stats.briareCalls, 2);
  assert.equal(member.stats.briareMaxInFlight, 1);

  // The tab is alive and nothing the hostile answers held ran.
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.equal(await page.evaluate(() => 6 * 7), 42);
  assert.deepEqual(crashes(problems), []);
  // Credentials only went to declared origins; every request to the hostile APIs is accounted for.
  const declared = new Set([...bearer.map((b) => b.origin)]);
  assert.ok(declared.has(member.url), 'the hostile APIs were asked with credentials');
  assert.ok(member.requests.every((r) => r.method === 'OPTIONS' || r.path === '/v1/demandes' || r.path === '/catalogue.toml'));
  await context.close();
});

test('credentialed requests follow no redirect and route parameters cannot walk out of the demande path', async () => {
  const { context, page, problems } = await openPage(browser);
  const bearer = recordBearerRequests(page);
  await page.goto(`${HOSTILE_URL}/mes-demarches`);
  await signIn(page, 'camille.martin', { button: page.getByRole('main').getByRole('button', { name: 'Se connecter' }) });
  // The région's demande answers with a redirect elsewhere on its origin: not followed.
  await page.getByRole('link', { name: 'Demande REGION-2026-000001' }).click();
  await page.getByText('Cette demande ne peut pas être affichée pour le moment').waitFor();
  assert.ok(member.requests.some((r) => r.path === '/v1/demandes/r1'), 'the demande was asked');
  assert.deepEqual(member.requests.filter((r) => r.path.includes('steal')), [], 'the redirect was not followed');
  await expectNoAxeViolations(page, 'demande behind a redirect');

  // Hostile route parameters, reached by an in-app navigation (a link, the history): nothing leaves
  // for another path of the provider's origin.
  for (const path of ['/mes-demarches/gien/..%2F..%2Fx', '/mes-demarches/centre-val-de-loire/..%2F..%2Fsteal', '/mes-demarches/gien/..%5C..%5Cx', '/mes-demarches/gien/x%3Fa%3D%2F..%2F..%23']) {
    await page.evaluate((to) => {
      window.history.pushState({}, '', to);
      window.dispatchEvent(new PopStateEvent('popstate'));
    }, path);
    await page.getByRole('heading', { level: 1, name: 'Ma demande' }).waitFor();
    await page.getByText(/introuvable|pas une demande valide|ne peut pas être affichée/).first().waitFor();
  }
  for (const { url } of bearer) {
    const { pathname } = new URL(url);
    assert.match(pathname, /^(\/[a-z-]+)?\/v1\/demandes(\/[^/]+)?$/, `credentials sent to ${url}`);
    assert.ok(!/(^|\/)(\.|%2e){2}(\/|$)/i.test(pathname), `dot segment in ${url}`);
  }
  assert.deepEqual(member.requests.filter((r) => r.path.includes('steal')), []);
  await screenshot(page, 'hostile-route-parameter');
  assert.deepEqual(crashes(problems), []);
  await context.close();
});

test('a provider form whose input rule could hang the tab is not run', async () => {
  const { context, page, problems } = await openPage(browser);
  await page.goto(`${HOSTILE_URL}/service/ouzouer-sur-trezee/badge-dechetterie/demarche`);
  await signIn(page, 'camille.martin', { button: page.getByRole('main').getByRole('button', { name: 'Se connecter' }) });
  await page.getByText('Ce formulaire contient une règle de saisie que le portail ne peut pas appliquer sans risque').waitFor();
  assert.ok(member.requests.some((r) => r.member === 'ouzouer-sur-trezee' && r.path === '/v1/forms/piege'), 'the form schema was fetched');
  assert.equal(await page.getByLabel('Immatriculation du véhicule').count(), 0, 'no field of the trapped form is shown');
  await expectNoAxeViolations(page, 'trapped form refused');
  await screenshot(page, 'hostile-trapped-form');
  assert.deepEqual(crashes(problems), []);
  await context.close();
});
