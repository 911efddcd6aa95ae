// Provider-bound, sender-constrained tokens, tried as an attacker would (issue 11 item 1).
//
// On the hostile-member portal (its catalogue declares, next to the demo federation, the members of
// tests/e2e/hostile/members.toml, so its Content-Security-Policy and the identity provider know
// them as they would any member), Montargis's API keeps what the portal sends it (token and DPoP
// proof) and the test replays it at other members; tokens and proofs seen on the way to the real
// Loiret provider (as its logs or a proxy would see them) are replayed after the citizen signed
// out and after a kiosk wipe. Every replay goes to the real reference providers of the stack over
// real HTTP.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPair, exportJWK, SignJWT, decodeJwt } from 'jose';
import { createHash, randomUUID } from 'node:crypto';
import { launchBrowser, openPage, visit, signIn, BASE_URL } from './harness.mjs';
import { startHostileMember, HOSTILE_ORIGIN } from './hostile/server.mjs';

const KIOSK_URL = process.env.GUICHET_KIOSK_URL ?? 'http://127.0.0.1:8081';
const HOSTILE_URL = process.env.GUICHET_HOSTILE_URL ?? 'http://127.0.0.1:8082';
const ISSUER = 'http://127.0.0.1:8090';
/** The member that keeps the credentials it receives (tests/e2e/hostile/members.toml). */
const HOSTILE_API = `${HOSTILE_ORIGIN}/montargis`;
const LOIRET_API = 'http://127.0.0.1:8103';
const GIEN_API = 'http://127.0.0.1:8101';

let browser;
let hostile;

/** The attacker's own DPoP key: it can sign proofs, but it is not the key the tokens are bound to. */
async function attackerKey() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = await exportJWK(publicKey);
  return (htm, htu, token) => new SignJWT({
    htm, htu, jti: randomUUID(), ath: createHash('sha256').update(token).digest('base64url'),
  }).setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk }).setIssuedAt().sign(privateKey);
}

async function replay(url, headers) {
  const response = await fetch(url, { headers });
  return response.status;
}

/** Every way of using a captured token and proof at `api`; each must get 401. */
async function replaysAt(api, { authorization, dpop }, label) {
  const token = authorization.replace(/^DPoP /, '');
  const forge = await attackerKey();
  const url = `${api}/v1/demandes`;
  const attempts = {
    'the captured token and proof as they were': { authorization, dpop },
    'the token alone': { authorization },
    'the token as a bearer token': { authorization: `Bearer ${token}` },
    'the token with a proof from the attacker’s key': { authorization, dpop: await forge('GET', url, token) },
  };
  for (const [what, headers] of Object.entries(attempts)) {
    assert.equal(await replay(url, headers), 401, `${label}: ${what} at ${api} is refused`);
  }
}

/** Records the credentials the page sends to `api` (what its logs or a proxy would see). */
function recordCredentials(page, api) {
  const seen = [];
  page.on('request', (request) => {
    const headers = request.headers();
    if (request.url().startsWith(`${api}/`) && headers.authorization) {
      seen.push({ url: request.url(), authorization: headers.authorization, dpop: headers.dpop });
    }
  });
  return seen;
}

/** Refresh tokens the identity provider hands the page (a man in the browser would see them). */
function recordRefreshTokens(page) {
  const seen = [];
  page.on('response', async (response) => {
    if (response.url() === `${ISSUER}/token` && response.request().method() === 'POST') {
      const body = await response.json().catch(() => ({}));
      if (body.refresh_token) seen.push(body.refresh_token);
    }
  });
  return seen;
}

/** The page's per-provider redemptions (refresh token → one provider's token), as the browser timed them. */
function recordRedemptions(page) {
  const seen = [];
  page.on('requestfinished', (request) => {
    if (request.url() !== `${ISSUER}/token` || request.method() !== 'POST') return;
    const form = new URLSearchParams(request.postData() ?? '');
    if (form.get('grant_type') !== 'refresh_token') return;
    const { startTime, responseEnd } = request.timing();
    seen.push({ resource: form.get('resource'), start: startTime, end: startTime + responseEnd });
  });
  return seen;
}

/** The most redemptions that were on their way at the same moment. */
function mostAtOnce(redemptions) {
  return Math.max(0, ...redemptions.map((r) => redemptions.filter((o) => o.start <= r.start && r.start < o.end).length));
}

async function redeemElsewhere(refreshToken, clientId) {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = await exportJWK(publicKey);
  const proof = await new SignJWT({ htm: 'POST', htu: `${ISSUER}/token`, jti: randomUUID() })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk }).setIssuedAt().sign(privateKey);
  const response = await fetch(`${ISSUER}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: proof },
    body: new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken, resource: LOIRET_API }),
  });
  return response.status;
}

before(async () => {
  browser = await launchBrowser();
  hostile = await startHostileMember();
});
after(async () => {
  await browser?.close();
  await hostile?.stop();
});

test('a token captured by one member is refused by every other member, and by its own without the key', async () => {
  const { context, page } = await openPage(browser);
  const atLoiret = recordCredentials(page, LOIRET_API);
  const captured = () => hostile.requests.filter((r) => r.member === 'montargis' && r.authorization);
  const refreshTokens = recordRefreshTokens(page);
  const redemptions = recordRedemptions(page);
  await page.goto(`${HOSTILE_URL}/mes-demarches`);
  await signIn(page, 'camille.martin', { button: page.getByRole('main').getByRole('button', { name: 'Se connecter' }) });
  await page.getByRole('heading', { level: 1, name: 'Mes démarches' }).waitFor();
  // Following the citizen's demandes, the portal called every member, the hostile one included.
  for (let i = 0; i < 100 && (captured().length === 0 || atLoiret.length === 0); i += 1) await page.waitForTimeout(100);
  assert.ok(captured().length > 0, 'the hostile member received a token');
  assert.ok(atLoiret.length > 0, 'the Loiret provider received a token');

  // The refresh token is not rotated (the issuer handed the same one back), so after the first
  // redemption the page asked for the other providers' tokens side by side, one per provider.
  assert.ok(refreshTokens.length >= 2 && new Set(refreshTokens).size === 1, `one refresh token, handed back unchanged (${new Set(refreshTokens).size} seen)`);
  const resources = redemptions.map((r) => r.resource);
  assert.ok(resources.length >= 3, `a redemption per provider called (${resources.length})`);
  assert.equal(new Set(resources).size, resources.length, `never two redemptions for one provider: ${resources.join(', ')}`);
  assert.ok(mostAtOnce(redemptions) >= 2, 'redemptions overlap once the issuer has shown it keeps the refresh token');
  // What replaces rotation: the refresh token is bound to the page's key. Captured while the
  // citizen is signed in, it is refused with any other key.
  assert.equal(await redeemElsewhere(refreshTokens[0], 'guichet-portal'), 400, 'a captured refresh token is refused without the page’s key');

  const stolen = captured()[0];
  assert.match(stolen.authorization, /^DPoP /, 'tokens are sent as DPoP, never as bearer tokens');
  assert.ok(stolen.dpop, 'each provider request carries a proof');
  const claims = decodeJwt(stolen.authorization.replace(/^DPoP /, ''));
  assert.equal(claims.aud, HOSTILE_API, 'the token names only the member it was sent to');
  assert.ok(claims.cnf?.jkt, 'the token is bound to a key');
  assert.ok(claims.exp - claims.iat <= 600, `the token lives ${claims.exp - claims.iat} s`);
  // The other members' tokens are different tokens.
  assert.notEqual(atLoiret[0].authorization, stolen.authorization);

  // The hostile member replays what it got at the other members.
  await replaysAt(LOIRET_API, stolen, 'hostile member → Loiret');
  await replaysAt(GIEN_API, stolen, 'hostile member → Gien');
  // A Loiret token seen in Loiret's logs, replayed at Loiret itself without the page's key.
  await replaysAt(LOIRET_API, atLoiret[0], 'Loiret’s own token');
  await context.close();
});

test('after sign-out, the tokens that were used work nowhere', async () => {
  const { context, page } = await openPage(browser);
  const atLoiret = recordCredentials(page, LOIRET_API);
  const refreshTokens = recordRefreshTokens(page);
  await visit(page, '/mes-demarches');
  await signIn(page, 'camille.martin', { button: page.getByRole('main').getByRole('button', { name: 'Se connecter' }) });
  await page.getByRole('heading', { level: 1, name: 'Mes démarches' }).waitFor();
  for (let i = 0; i < 100 && atLoiret.length === 0; i += 1) await page.waitForTimeout(100);
  assert.ok(atLoiret.length > 0, 'the Loiret provider was called');
  assert.ok(refreshTokens.length > 0, 'the page was given a refresh token');

  await page.getByRole('banner').getByRole('button', { name: 'Se déconnecter' }).click();
  await page.waitForURL(`${BASE_URL}/`);
  await page.getByRole('banner').getByRole('button', { name: 'Se connecter' }).waitFor();

  await replaysAt(LOIRET_API, atLoiret.at(-1), 'after sign-out');
  // The refresh tokens, spent or not, are worthless: bound to the page's key, and revoked with
  // the session at the issuer.
  for (const refreshToken of refreshTokens) {
    assert.equal(await redeemElsewhere(refreshToken, 'guichet-portal'), 400, 'a refresh token is refused after sign-out');
  }
  await context.close();
});

test('after a kiosk wipe, the tokens that were used work nowhere', async () => {
  const { context, page } = await openPage(browser);
  const atLoiret = recordCredentials(page, LOIRET_API);
  const refreshTokens = recordRefreshTokens(page);
  await page.goto(`${KIOSK_URL}/mes-demarches`);
  await page.getByRole('main').waitFor();
  await signIn(page, 'camille.martin', { button: page.getByRole('main').getByRole('button', { name: 'Se connecter' }) });
  await page.getByRole('heading', { level: 1, name: 'Mes démarches' }).waitFor();
  for (let i = 0; i < 100 && atLoiret.length === 0; i += 1) await page.waitForTimeout(100);
  assert.ok(atLoiret.length > 0, 'the Loiret provider was called');
  const claims = decodeJwt(atLoiret[0].authorization.replace(/^DPoP /, ''));
  assert.equal(claims.client_id, 'guichet-kiosque', 'the kiosk signs in with its own client');

  await page.getByRole('button', { name: 'Terminer et tout effacer' }).click();
  await page.waitForURL(`${KIOSK_URL}/?session=terminee`, { timeout: 20000 });
  await replaysAt(LOIRET_API, atLoiret.at(-1), 'after a kiosk wipe');
  for (const refreshToken of refreshTokens) {
    assert.equal(await redeemElsewhere(refreshToken, 'guichet-kiosque'), 400, 'a refresh token is refused after the wipe');
  }
  const idp = await context.cookies(ISSUER);
  assert.deepEqual(idp.filter((c) => c.name === '_session').map((c) => c.name), [], 'no session cookie is left at the identity provider');
  await context.close();
});
