// Finding the services that apply where I live: commune by name, postcode and INSEE code, levels,
// search with typos, synonyms, approximate and unanswerable questions, service page, keyboard-only
// journey, unreachable fragment, 320 px.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, openPage, visit, expectNoAxeViolations, screenshot,
} from './harness.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function chooseByName(page, text, optionName) {
  const input = page.getByRole('combobox', { name: 'Votre commune' });
  await input.fill(text);
  await page.getByRole('option', { name: optionName }).click();
}

test('choosing Gien by name shows its three levels and their services', async () => {
  const { context, page, problems } = await openPage(browser);
  await visit(page, '/');
  await expectNoAxeViolations(page, 'home with chooser');
  await chooseByName(page, 'gien', /^Gien 45500/);
  await page.getByRole('heading', { level: 1, name: /Services pour Gien \(45500\)/ }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/commune/45155');
  for (const level of [/Ma commune — Ville de Gien/, /Ma communauté de communes — Communauté de communes Giennoises/, /Mon département — Département du Loiret/]) {
    await page.getByRole('heading', { level: 2, name: level }).waitFor();
  }
  // Services of each level, including one from the EPCI's fragment.
  await page.getByRole('link', { name: 'Demander un acte de naissance' }).waitFor();
  await page.getByRole('link', { name: 'Faire enlever mes encombrants' }).waitFor();
  await page.getByRole('link', { name: 'Inscrire mon enfant au transport scolaire' }).waitFor();
  // Not Deauville's.
  assert.equal(await page.getByText('Obtenir une carte de stationnement résident').count(), 0);
  // The header remembers the commune.
  await page.getByRole('banner').getByText('Ma commune :').waitFor();
  await expectNoAxeViolations(page, 'commune page');
  await screenshot(page, 'commune-gien');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a postcode shared by several communes asks which one', async () => {
  const { context, page } = await openPage(browser);
  await visit(page, '/');
  const input = page.getByRole('combobox', { name: 'Votre commune' });
  await input.fill('45500');
  await page.getByRole('option').first().waitFor();
  await input.press('Escape');
  await page.getByRole('button', { name: 'Voir mes services' }).click();
  const group = page.getByRole('group', { name: 'Quelle est votre commune ?' });
  await group.waitFor();
  assert.ok(await group.getByRole('radio').count() >= 6);
  await expectNoAxeViolations(page, 'postcode disambiguation');
  await screenshot(page, 'postcode-45500');
  await group.getByRole('radio', { name: /^Gien/ }).check();
  await page.getByRole('button', { name: 'Choisir cette commune' }).click();
  await page.getByRole('heading', { level: 1, name: /Services pour Gien/ }).waitFor();
  await context.close();
});

test('an INSEE code typed in full goes to its commune (regression: 14715 was read as a postcode)', async () => {
  const { context, page, problems } = await openPage(browser);
  await visit(page, '/');
  const input = page.getByRole('combobox', { name: 'Votre commune' });
  await input.fill('14715');
  await page.getByRole('option', { name: /^Trouville-sur-Mer .*code INSEE 14715/ }).waitFor();
  await input.press('Enter');
  await page.getByRole('heading', { level: 1, name: /Services pour Trouville-sur-Mer \(14360\)/ }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/commune/14715');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a code that is both an INSEE code and a postcode asks which commune', async () => {
  const { context, page } = await openPage(browser);
  await visit(page, '/');
  const input = page.getByRole('combobox', { name: 'Votre commune' });
  await input.fill('14360');
  await page.getByRole('option').first().waitFor();
  await input.press('Escape');
  await page.getByRole('button', { name: 'Voir mes services' }).click();
  const group = page.getByRole('group', { name: 'Quelle est votre commune ?' });
  await group.waitFor();
  await page.getByText('14360 est le code INSEE de Leffard et le code postal d’une autre commune. Laquelle est la vôtre ?').waitFor();
  assert.equal(await group.getByRole('radio').count(), 2);
  await group.getByRole('radio', { name: /^Leffard .*code INSEE 14360/ }).waitFor();
  await expectNoAxeViolations(page, 'code both INSEE and postcode');
  await screenshot(page, 'code-14360');
  await group.getByRole('radio', { name: /^Trouville-sur-Mer/ }).check();
  await page.getByRole('button', { name: 'Choisir cette commune' }).click();
  await page.getByRole('heading', { level: 1, name: /Services pour Trouville-sur-Mer/ }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/commune/14715');
  await context.close();
});

test('filters by theme and life event come with counts', async () => {
  const { context, page } = await openPage(browser);
  await visit(page, '/commune/45155');
  const filters = page.getByRole('navigation', { name: 'Affiner la liste' });
  await filters.getByRole('link', { name: /Je déménage \(\d+\)/ }).click();
  await page.waitForURL(/situation=demenagement/);
  await page.getByRole('link', { name: 'Faire enlever mes encombrants' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Demander un acte de naissance' }).count(), 0);
  await filters.getByRole('link', { name: /Déchets et propreté \(\d+\)/ }).click();
  await page.waitForURL(/theme=dechets/);
  assert.equal(await page.getByRole('link', { name: 'Inscrire mon enfant au transport scolaire' }).count(), 0);
  await expectNoAxeViolations(page, 'filtered services');
  await context.close();
});

test('search tolerates a typo and a missing accent, and highlights why', async () => {
  const { context, page } = await openPage(browser);
  await visit(page, '/commune/45155');
  const search = page.getByRole('searchbox', { name: 'Rechercher un service' });
  await search.fill('encombrnats');
  await page.getByText('1 service correspond à « encombrnats ».').waitFor();
  await page.locator('mark', { hasText: 'encombrants' }).first().waitFor();
  await search.fill('dechetterie');
  await page.locator('.gu-search__results').getByRole('link', { name: /badge d’accès à la déchèterie/ }).waitFor();
  await search.fill('piscine olympique');
  await page.getByText('Aucun service ne correspond à « piscine olympique ».').waitFor();
  await expectNoAxeViolations(page, 'search');
  await screenshot(page, 'search');
  await context.close();
});

test('search understands questions, everyday words, labels approximate results and offers the whole list', async () => {
  const { context, page, problems } = await openPage(browser);
  await visit(page, '/commune/45155');
  const search = page.getByRole('searchbox', { name: 'Rechercher un service' });
  const results = page.locator('.gu-search__results');
  // A question, with question words and a word for the child.
  await search.fill('comment faire pour inscrire ma fille en maternelle');
  await page.getByText('1 service correspond à « comment faire pour inscrire ma fille en maternelle ».').waitFor();
  await results.getByRole('link', { name: 'Inscrire mon enfant à l’école' }).waitFor();
  // An everyday word: found through the lexicon, and the card says so.
  await search.fill('obsèques');
  await results.getByRole('link', { name: 'Demander un acte de décès' }).waitFor();
  await results.getByText('« obsèques » : synonyme de « décès »').waitFor();
  await results.locator('mark', { hasText: 'décès' }).first().waitFor();
  // Part of the question only: shown apart, labelled, with the missing word.
  await search.fill('salle des fêtes pour un loto');
  await page.getByText('Aucun service ne correspond à tous les mots de « salle des fêtes pour un loto » : 1 résultat approchant.').waitFor();
  const approximate = page.getByRole('region', { name: 'Résultats approchants' });
  await approximate.getByRole('link', { name: 'Réserver une salle municipale' }).waitFor();
  await approximate.getByText(/mot absent : « loto »/).waitFor();
  await expectNoAxeViolations(page, 'search with approximate results');
  await screenshot(page, 'search-approximate');
  // A question no service answers: nothing, not junk, and a way to the whole list.
  await search.fill('permis de construire');
  await page.getByText('Aucun service ne correspond à « permis de construire ».').waitFor();
  assert.equal(await results.getByRole('link').count(), 0);
  await page.getByRole('button', { name: 'Voir tous les services de ma commune' }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'tous-les-services');
  await expectNoAxeViolations(page, 'search with no result');
  await screenshot(page, 'search-nothing');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a service page says what, how much, how long, what to bring, how and where to get help', async () => {
  const { context, page } = await openPage(browser);
  await visit(page, '/service/gien/acte-naissance');
  await page.getByRole('heading', { level: 1, name: 'Demander un acte de naissance' }).waitFor();
  await page.getByText('environ 5 jours').waitFor();
  await page.getByText('Gratuit', { exact: true }).waitFor();
  await page.getByRole('checkbox', { name: /Une pièce d’identité/ }).waitFor();
  await page.getByRole('link', { name: 'Faire la démarche en ligne' }).waitFor();
  await page.getByRole('heading', { name: 'Au guichet' }).waitFor();
  await page.getByRole('heading', { name: /France services du Giennois/ }).waitFor();
  // Commune not chosen yet: the help desks near Gien, not a house in the Calvados.
  await page.getByRole('heading', { name: /Maison du Département de Gien/ }).waitFor();
  assert.equal(await page.getByRole('heading', { name: /France services Cœur Côte Fleurie/ }).count(), 0);
  await page.getByRole('link', { name: 'service-public.fr' }).waitFor();
  // The description's emphasis is markup from the safe subset, not raw HTML.
  await page.locator('.gu-prose strong', { hasText: 'nées à Gien' }).waitFor();
  await expectNoAxeViolations(page, 'service page');
  await screenshot(page, 'service-acte-naissance');
  await page.emulateMedia({ media: 'print' });
  await screenshot(page, 'service-acte-naissance-print');
  await context.close();
});

test('the whole journey works with the keyboard alone', async () => {
  const { context, page } = await openPage(browser);
  await visit(page, '/');
  await page.getByRole('combobox', { name: 'Votre commune' }).focus();
  await page.keyboard.type('deauv');
  await page.getByRole('option').first().waitFor();
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.getByRole('combobox').getAttribute('aria-activedescendant'), 'commune-option-0');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: /Services pour Deauville/ }).waitFor();
  // Tab to the first service link and open it.
  const link = page.getByRole('link', { name: 'Demander un acte de naissance' });
  for (let i = 0; i < 80; i += 1) {
    await page.keyboard.press('Tab');
    if (await link.evaluate((el) => el === document.activeElement)) break;
  }
  assert.ok(await link.evaluate((el) => el === document.activeElement), 'the service link is reachable with Tab');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Demander un acte de naissance' }).waitFor();
  await context.close();
});

test('an unreachable fragment is reported for its member only', async () => {
  const { context, page } = await openPage(browser);
  await page.route('**/catalogue/cc-giennoises.toml', (route) => route.abort('connectionrefused'));
  await visit(page, '/commune/45155');
  await page.getByText(/Communauté de communes Giennoises : une partie des services/).waitFor();
  // The commune's and the département's services are still there.
  await page.getByRole('link', { name: 'Demander un acte de naissance' }).waitFor();
  await page.getByRole('link', { name: 'Inscrire mon enfant au transport scolaire' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Faire enlever mes encombrants' }).count(), 0);
  await expectNoAxeViolations(page, 'fragment unreachable');
  await screenshot(page, 'fragment-unreachable');
  await context.close();
});

test('everything fits a 320 px wide screen', async () => {
  const { context, page } = await openPage(browser, { viewport: { width: 320, height: 640 } });
  for (const path of ['/', '/commune/45155', '/service/cc-giennoises/encombrants']) {
    await visit(page, path);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${path} scrolls horizontally by ${overflow}px at 320 px`);
    await expectNoAxeViolations(page, `${path} at 320 px`);
    await screenshot(page, `narrow-${path.replaceAll('/', '_') || 'home'}`);
  }
  await context.close();
});

test('a commune outside the federation is told so, with its levels', async () => {
  const { context, page } = await openPage(browser);
  await visit(page, '/commune/75056');
  await page.getByText('Votre commune n’a pas encore rejoint ce guichet').waitFor();
  await page.getByText(/Mon département.*Paris/).waitFor();
  await expectNoAxeViolations(page, 'uncovered commune');
  await context.close();
});
