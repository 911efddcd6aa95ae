// The demo federation's OpenID Provider: npm `oidc-provider` (OpenID Certified) with demo citizens.
//
// It plays the role a broker federating FranceConnect (Keycloak, Authentic 2…) plays in production
// (docs/identity.md): one issuer trusted by every member of the federation.
//
//   node tools/identity-provider/server.mjs [--port 8090] [--keys target/demo/idp-keys.json]
//
// * Two public clients (no secret, authorization code + PKCE S256 only, exact redirect URIs):
//   `guichet-portal` for the portal on citizens' own devices, `guichet-kiosque` for France services
//   kiosks (short interaction and session lifetimes, and a login page that gives up after inactivity).
// * Access tokens are provider-bound: each is a JWT (`typ: at+jwt`, RS256) for exactly one resource
//   (RFC 8707), a member's provider API base URL, valid 5 minutes. Only resources listed in
//   GUICHET_IDP_RESOURCES are accepted. The portal asks for them all at sign-in, then obtains one
//   token per provider by redeeming its refresh token with `resource=`.
// * Tokens are sender-constrained (DPoP, RFC 9449): both portal clients must present a DPoP proof at
//   the token endpoint; access tokens carry `cnf.jkt` and the refresh token is bound to the same key.
// * Refresh tokens are issued without `offline_access` (they die with the session). The portal
//   clients' are bound to the DPoP key and not rotated (RFC 9449 §5: the binding already makes a
//   stolen one useless), so the portal can redeem them for several providers at once; the bench
//   client's bearer ones are rotated on every use, and reusing a spent one revokes the whole grant.
// * The ID token carries the profile claims (the provider-bound access tokens are not valid at
//   userinfo).
// * Keys and cookie secrets are generated on first start and kept in a file, so a restart keeps
//   issued tokens verifiable.
// * RP-initiated logout (GET or POST, with or without `id_token_hint`) ends the session without a
//   confirmation click (kiosks rely on it) and revokes the session's grants.
//
// Environment: GUICHET_IDP_PORT, GUICHET_IDP_ISSUER, GUICHET_IDP_KEYS, GUICHET_PORTAL_ORIGINS
// (comma-separated origins allowed to use the portal client), GUICHET_KIOSK_ORIGINS (same, kiosk
// client), GUICHET_IDP_RESOURCES (comma-separated provider API base URLs, no trailing slash),
// GUICHET_IDP_KIOSK_IDLE_SECONDS (the kiosk login page's inactivity limit). Listens on 127.0.0.1.

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
const list = (text) => text.split(',').map((o) => o.trim().replace(/\/$/, '')).filter(Boolean);
const PORT = Number(args.port ?? process.env.GUICHET_IDP_PORT ?? 8090);
const ISSUER = args.issuer ?? process.env.GUICHET_IDP_ISSUER ?? `http://127.0.0.1:${PORT}`;
const KEYS_FILE = args.keys ?? process.env.GUICHET_IDP_KEYS ?? 'target/demo/idp-keys.json';
// 8082: the hostile-member suite's portal (xtask/src/e2e.rs).
const PORTAL_ORIGINS = list(process.env.GUICHET_PORTAL_ORIGINS ?? 'http://127.0.0.1:8080,http://localhost:8080,http://127.0.0.1:8082');
const KIOSK_ORIGINS = list(process.env.GUICHET_KIOSK_ORIGINS ?? 'http://127.0.0.1:8081,http://localhost:8081');
/** Provider API base URLs (resource indicators) this issuer mints tokens for. */
export const RESOURCES = new Set(list(process.env.GUICHET_IDP_RESOURCES ?? ''));
const KIOSK_IDLE_SECONDS = Number(process.env.GUICHET_IDP_KIOSK_IDLE_SECONDS ?? 180);

export const CLIENT_ID = 'guichet-portal';
export const KIOSK_CLIENT_ID = 'guichet-kiosque';
/** Benchmarks only: bearer tokens (no DPoP) for `cargo xtask bench provider`. */
const BENCH_CLIENT_ID = 'guichet-banc';
const RESOURCE_SCOPE = 'demarches';
/** Provider-bound access tokens live five minutes: a captured one is soon worthless. */
const ACCESS_TOKEN_SECONDS = 5 * 60;
/** A kiosk's session at the issuer outlives no citizen: it ends with the wipe, or after this. */
const KIOSK_SESSION_SECONDS = 15 * 60;

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

function portalClient(clientId, clientName, origins) {
  return {
    client_id: clientId,
    client_name: clientName,
    application_type: 'web',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    dpop_bound_access_tokens: true,
    redirect_uris: origins.map((o) => `${o}/connexion/retour`),
    post_logout_redirect_uris: origins.flatMap((o) => [`${o}/`, `${o}/?session=terminee`]),
  };
}

const isKiosk = (clientId) => clientId === KIOSK_CLIENT_ID;

const provider = new Provider(ISSUER, {
  clients: [
    portalClient(CLIENT_ID, 'Guichet', PORTAL_ORIGINS),
    portalClient(KIOSK_CLIENT_ID, 'Guichet (borne France services)', KIOSK_ORIGINS),
    {
      client_id: BENCH_CLIENT_ID,
      client_name: 'Guichet (banc d’essai)',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: ['http://127.0.0.1:8080/connexion/retour'],
    },
  ],
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
  // The profile claims go in the ID token (the portal reads them there); no token is valid at
  // userinfo: provider tokens are for providers only.
  conformIdTokenClaims: false,
  // The token endpoint answers browsers only from the origins of the client's redirect URIs.
  clientBasedCORS(_ctx, origin, client) {
    return client.redirectUris.some((uri) => new URL(uri).origin === origin);
  },
  // The portal clients hold their refresh token in memory only, bound to their DPoP key. No
  // `offline_access`: it dies with the session at the issuer (sign-out, kiosk wipe).
  async issueRefreshToken(_ctx, client) {
    return client.grantTypeAllowed('refresh_token');
  },
  // Sender-constrained refresh tokens are kept (RFC 9449 §5, RFC 9700 §4.14.2 asks for binding
  // *or* rotation): redeeming one needs the page's non-extractable key, and keeping it lets the
  // portal obtain its per-provider tokens side by side instead of one round trip after another.
  // A bearer refresh token (the bench client) is single-use.
  rotateRefreshToken(ctx) {
    return !ctx.oidc.entities.RefreshToken.isSenderConstrained();
  },
  features: {
    devInteractions: { enabled: false },
    userinfo: { enabled: false },
    dPoP: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) { ctx.body = logoutPage(form); },
      async postLogoutSuccessSource(ctx) { ctx.body = loggedOutPage(); },
    },
    resourceIndicators: {
      enabled: true,
      // Nothing by default: a token is for the one provider the portal names, never for "all".
      async defaultResource() { return undefined; },
      async useGrantedResource() { return false; },
      async getResourceServerInfo(_ctx, resource) {
        if (!RESOURCES.has(resource)) throw new Provider.errors.InvalidTarget(`unknown resource ${resource}`);
        return {
          scope: RESOURCE_SCOPE,
          audience: resource,
          accessTokenTTL: ACCESS_TOKEN_SECONDS,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
  ttl: {
    AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? ACCESS_TOKEN_SECONDS,
    AuthorizationCode: 60,
    IdToken: 60 * 60,
    RefreshToken: (_ctx, _token, client) => (isKiosk(client.clientId) ? KIOSK_SESSION_SECONDS : 8 * 60 * 60),
    Interaction: (_ctx, interaction) => (isKiosk(interaction.params?.client_id) ? KIOSK_IDLE_SECONDS + 60 : 60 * 60),
    Session: (ctx) => (isKiosk(ctx?.oidc?.client?.clientId) ? KIOSK_SESSION_SECONDS : 8 * 60 * 60),
    Grant: (_ctx, grant) => (isKiosk(grant?.clientId) ? KIOSK_SESSION_SECONDS : 8 * 60 * 60),
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

/**
 * On a kiosk, the login page gives up after inactivity: it ends the session here (if any) and goes
 * back to the portal's wiped start page, so nobody finds the previous citizen's half-typed login.
 */
function kioskLeave(details) {
  if (!isKiosk(details.params.client_id)) return undefined;
  let origin;
  try {
    origin = new URL(details.params.redirect_uri).origin;
  } catch {
    return undefined;
  }
  if (!KIOSK_ORIGINS.includes(origin)) return undefined;
  const end = new URL(`${ISSUER}/session/end`);
  end.searchParams.set('client_id', KIOSK_CLIENT_ID);
  end.searchParams.set('post_logout_redirect_uri', `${origin}/?session=terminee`);
  return { idleSeconds: KIOSK_IDLE_SECONDS, leaveTo: end.toString() };
}

provider.use(async (ctx, next) => {
  // RP-Initiated Logout 1.0 §2: the logout may be POSTed (the portal does, to keep the ID token out
  // of URLs). oidc-provider serves POST there only with SameSite=None cookies, which plain-HTTP
  // demo origins cannot have; portal and issuer are same-site here, so the form is read and served
  // as the equivalent GET, with this browser's session cookie.
  if (ctx.path === '/session/end' && ctx.method === 'POST') {
    const body = await formBody(ctx.req);
    ctx.method = 'GET';
    ctx.querystring = new URLSearchParams(body).toString();
  }
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
      ctx.body = loginPage({ uid, login: body.login, error: 'identifiant ou mot de passe incorrect.', kiosk: kioskLeave(details) });
      return undefined;
    }
    return provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
  }
  if (details.prompt.name === 'consent') {
    const grantId = await grantAll(details);
    return provider.interactionFinished(ctx.req, ctx.res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  ctx.type = 'html';
  ctx.body = loginPage({ uid, kiosk: kioskLeave(details) });
  return undefined;
});

provider.listen(PORT, '127.0.0.1', () => {
  console.log(`identity provider: ${ISSUER} (portal origins: ${PORTAL_ORIGINS.join(', ')}; kiosk origins: ${KIOSK_ORIGINS.join(', ')}; resources: ${[...RESOURCES].join(', ') || 'none'})`);
});
