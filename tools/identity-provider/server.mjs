// The demo federation's OpenID Provider: npm `oidc-provider` (OpenID Certified) with demo citizens.
//
// It plays the role a broker federating FranceConnect (Keycloak, Authentic 2…) plays in production
// (docs/identity.md): one issuer trusted by every member of the federation.
//
//   node tools/identity-provider/server.mjs [--port 8090] [--keys target/demo/idp-keys.json]
//
// * The portal is a public client (`guichet-portal`): authorization code + PKCE S256 only, exact
//   redirect URIs, no secret.
// * Access tokens are JWTs (RS256) for the resource `urn:guichet:providers`, which every provider
//   of the federation accepts; the portal does not even have to ask for it (default resource).
// * The ID token carries the profile claims (the access token is not valid at userinfo).
// * Keys and cookie secrets are generated on first start and kept in a file, so a restart keeps
//   issued tokens verifiable.
// * RP-initiated logout ends the session without a confirmation click (kiosks rely on it).
//
// Environment: GUICHET_IDP_PORT, GUICHET_IDP_ISSUER, GUICHET_IDP_KEYS, GUICHET_PORTAL_ORIGINS
// (comma-separated origins allowed to use the portal client). Listens on 127.0.0.1 only.

import Provider from 'oidc-provider';
import { generateKeyPair, exportJWK } from 'jose';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { authenticate, findAccount } from './accounts.mjs';
import { loginPage, logoutPage, loggedOutPage, errorPage } from './views.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const PORT = Number(args.port ?? process.env.GUICHET_IDP_PORT ?? 8090);
const ISSUER = args.issuer ?? process.env.GUICHET_IDP_ISSUER ?? `http://127.0.0.1:${PORT}`;
const KEYS_FILE = args.keys ?? process.env.GUICHET_IDP_KEYS ?? 'target/demo/idp-keys.json';
const PORTAL_ORIGINS = (process.env.GUICHET_PORTAL_ORIGINS
  // 8082: the hostile-member suite's portal (xtask/src/e2e.rs).
  ?? 'http://127.0.0.1:8080,http://localhost:8080,http://127.0.0.1:8081,http://localhost:8081,http://127.0.0.1:8082')
  .split(',').map((o) => o.trim().replace(/\/$/, '')).filter(Boolean);

export const AUDIENCE = 'urn:guichet:providers';
export const CLIENT_ID = 'guichet-portal';
const RESOURCE_SCOPE = 'demarches';

/** Signing keys and cookie secrets, created once and kept. */
async function loadSecrets(file) {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: `demo-${Date.now()}`, alg: 'RS256', use: 'sig' };
  const secrets = { jwks: { keys: [jwk] }, cookieKeys: [randomBytes(32).toString('base64url')] };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

const secrets = await loadSecrets(KEYS_FILE);

const provider = new Provider(ISSUER, {
  clients: [{
    client_id: CLIENT_ID,
    client_name: 'Guichet',
    application_type: 'web',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: PORTAL_ORIGINS.map((o) => `${o}/connexion/retour`),
    post_logout_redirect_uris: PORTAL_ORIGINS.flatMap((o) => [`${o}/`, `${o}/?session=terminee`]),
  }],
  findAccount,
  jwks: secrets.jwks,
  cookies: { keys: secrets.cookieKeys },
  claims: {
    openid: ['sub'],
    profile: ['given_name', 'family_name', 'birthdate', 'gender'],
    email: ['email', 'email_verified'],
    phone: ['phone_number', 'phone_number_verified'],
    address: ['address'],
  },
  scopes: ['openid', 'profile', 'email', 'phone', 'address', RESOURCE_SCOPE],
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) { ctx.body = logoutPage(form); },
      async postLogoutSuccessSource(ctx) { ctx.body = loggedOutPage(); },
    },
    resourceIndicators: {
      enabled: true,
      async defaultResource() { return AUDIENCE; },
      async useGrantedResource() { return true; },
      async getResourceServerInfo(_ctx, resource) {
        if (resource !== AUDIENCE) throw new Provider.errors.InvalidTarget();
        return {
          scope: RESOURCE_SCOPE,
          audience: AUDIENCE,
          accessTokenTTL: 60 * 60,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
  ttl: {
    AccessToken: 60 * 60,
    AuthorizationCode: 60,
    IdToken: 60 * 60,
    Interaction: 60 * 60,
    Session: 8 * 60 * 60,
    Grant: 8 * 60 * 60,
  },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = errorPage(out);
  },
});

// Browsers reach the demo over plain HTTP on loopback; nothing here is exposed elsewhere.
provider.proxy = false;

async function formBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 16 * 1024) throw new Error('body too large');
    chunks.push(chunk);
  }
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

/** Records the portal's grant: it is a first-party client, consent is given per collectivity in the portal. */
async function grantAll(details) {
  const { prompt: { details: missing }, params, session } = details;
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scope] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scope.join(' '));
  }
  return grant.save();
}

provider.use(async (ctx, next) => {
  if (ctx.path === '/healthz') {
    ctx.body = { status: 'ok', issuer: ISSUER };
    return undefined;
  }
  const match = ctx.path.match(/^\/interaction\/([\w-]+)(\/login|\/abort)?$/);
  if (!match) return next();
  ctx.set('cache-control', 'no-store');
  const [, uid, action] = match;
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (details.uid !== uid) return next();
  if (action === '/abort') {
    return provider.interactionFinished(ctx.req, ctx.res, { error: 'access_denied', error_description: 'Connexion annulée' }, { mergeWithLastSubmission: false });
  }
  if (action === '/login' && ctx.method === 'POST') {
    const body = await formBody(ctx.req);
    const account = authenticate(body.login, body.password);
    if (!account) {
      ctx.status = 401;
      ctx.type = 'html';
      ctx.body = loginPage({ uid, login: body.login, error: 'identifiant ou mot de passe incorrect.' });
      return undefined;
    }
    return provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
  }
  if (details.prompt.name === 'consent') {
    const grantId = await grantAll(details);
    return provider.interactionFinished(ctx.req, ctx.res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  ctx.type = 'html';
  ctx.body = loginPage({ uid });
  return undefined;
});

provider.listen(PORT, '127.0.0.1', () => {
  console.log(`identity provider: ${ISSUER} (portal origins: ${PORTAL_ORIGINS.join(', ')})`);
});
