// A hostile federation member for the Chromium hostile-member suite: one small HTTP server on
// 127.0.0.1 serving, under /<member>/, the catalogue fragment or provider API of each member
// declared in tests/e2e/hostile/members.toml — each misbehaving in one precise way (a fragment that
// stalls after its headers, 200 MB answers, garbage, the wrong schema, 500, no CORS, a stalled
// body, broken rows and an unknown status bucket, a redirect, text made to spoof).
//
// Bounded: a stalled answer is cut after STALL_LIMIT_MS, a huge one stops at its size or when the
// browser goes away, and `stop()` closes every connection. It records every request (path, whether
// it carried credentials, how many bytes were sent) so a test can assert what reached it.

import { createServer } from 'node:http';
import { hostileFragment, latin1Fragment, padding, trappedFormFragment, TRAPPED_FORM } from './texts.mjs';

export const HOSTILE_PORT = 8110;
export const HOSTILE_ORIGIN = `http://127.0.0.1:${HOSTILE_PORT}`;
/** No answer is held longer than this, whatever the test does. */
const STALL_LIMIT_MS = 30_000;
const MIB = 1024 * 1024;

const now = '2026-11-02T10:00:00Z';

/** A demande summary as the contract describes it. */
export function row(id, reference, { bucket = 'in_review', label = 'En cours d’instruction' } = {}) {
  return {
    id,
    reference,
    form_id: 'demande',
    form_title: `Demande ${reference}`,
    status: { bucket, label, at: now },
    created_at: now,
    updated_at: now,
  };
}

const list = (demandes) => JSON.stringify({ demandes, as_of: now });

/** CORS as a provider must answer it: the portal's origin, the headers it asked for. */
function cors(request) {
  return {
    'Access-Control-Allow-Origin': request.headers.origin ?? '*',
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': request.headers['access-control-request-headers'] ?? 'authorization',
    'Access-Control-Expose-Headers': 'ETag',
    Vary: 'Origin',
  };
}

/**
 * Starts the hostile member; resolves to { url, requests, stats, stop }.
 * `requests` lists { member, path, method, credentials } for every request received; for
 * Montargis, which keeps what it is sent, also `authorization` and `dpop` as received.
 */
export async function startHostileMember(port = HOSTILE_PORT) {
  const requests = [];
  const stats = {
    hugeBytesSent: 0, paddingBytesSent: 0, briareInFlight: 0, briareMaxInFlight: 0, briareCalls: 0,
  };
  const open = new Set();
  /** Answers still open, per member. */
  const openPer = new Map();
  const timers = new Set();

  /** Keeps `response` open without a body until the browser leaves or the limit passes. */
  function stall(response, onEnd = () => {}) {
    const timer = setTimeout(() => response.destroy(), STALL_LIMIT_MS);
    timers.add(timer);
    response.on('close', () => { clearTimeout(timer); timers.delete(timer); onEnd(); });
  }

  /** Streams `total` bytes made by `chunk(i)` with backpressure, stopping if the browser leaves. */
  async function stream(response, total, chunk, counter) {
    let sent = 0;
    let closed = false;
    response.on('close', () => { closed = true; });
    for (let i = 0; sent < total && !closed; i += 1) {
      const piece = chunk(i);
      sent += piece.length;
      if (counter) stats[counter] = sent;
      if (!response.write(piece)) {
        await new Promise((resolve) => {
          const done = () => {
            response.off('drain', done);
            response.off('close', done);
            resolve();
          };
          response.on('drain', done);
          response.on('close', done);
        });
      }
    }
    if (!closed) response.end();
  }

  const fragments = {
    nevoy: (request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/toml; charset=utf-8', ...cors(request) });
      response.write('# Le fragment de Nevoy commence, puis plus rien.\nmember = "nevoy"\n');
      stall(response);
    },
    'poilly-lez-gien': (request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/toml; charset=utf-8', ...cors(request) });
      stream(response, 64 * MIB, (i) => padding(i), 'paddingBytesSent');
    },
    'saint-gondon': (request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/toml; charset=utf-8', ...cors(request) });
      response.end(hostileFragment());
    },
    coullons: (request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/toml', ...cors(request) });
      response.end(latin1Fragment());
    },
    'ouzouer-sur-trezee': (request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/toml; charset=utf-8', ...cors(request) });
      response.end(trappedFormFragment());
    },
  };

  /** Public form schemas, per member. */
  const forms = {
    'ouzouer-sur-trezee': { piege: TRAPPED_FORM },
  };

  const lists = {
    montargis: (request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json', ...cors(request) });
      response.end('{"demandes":[]}');
    },
    boismorand: (request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json', ...cors(request) });
      const one = `${JSON.stringify(row('x', 'BOISMORAND-2026-000001'))},`;
      const block = Buffer.from(one.repeat(Math.ceil(64 * 1024 / one.length)));
      response.write('{"demandes":[');
      stream(response, 200 * MIB, () => block, 'hugeBytesSent');
    },
    'les-choux': (request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json', ...cors(request) });
      response.end('<html><body><h1>Maintenance</h1><script>window.pwned = true</script></body></html>');
    },
    langesse: (request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json', ...cors(request) });
      response.end(JSON.stringify({ items: [row('l1', 'LANGESSE-2026-000001')], total: 1 }));
    },
    'le-moulinet-sur-solin': (request, response) => {
      const broken = { ...row('m2', 'MOULINET-2026-000002'), status: 'reçue' };
      const unknown = row('m3', 'MOULINET-2026-000003', { bucket: 'en_attente_de_paiement', label: 'En attente de paiement' });
      response.writeHead(200, { 'Content-Type': 'application/json', ETag: '"moulinet-1"', ...cors(request) });
      response.end(list([row('m1', 'MOULINET-2026-000001'), broken, unknown]));
    },
    'saint-brisson-sur-loire': (request, response) => {
      response.writeHead(500, { 'Content-Type': 'text/html', ...cors(request) });
      response.end('<html><body>Internal Server Error</body></html>');
    },
    'saint-martin-sur-ocre': (request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(list([row('s1', 'SAINT-MARTIN-2026-000001')]));
    },
    briare: (request, response) => {
      stats.briareCalls += 1;
      stats.briareInFlight += 1;
      stats.briareMaxInFlight = Math.max(stats.briareMaxInFlight, stats.briareInFlight);
      const done = () => { stats.briareInFlight -= 1; };
      response.writeHead(200, { 'Content-Type': 'application/json', ...cors(request) });
      if (stats.briareCalls === 1) {
        // Headers and the start of the body, then nothing.
        response.write('{"demandes":[');
        stall(response, done);
      } else {
        response.on('close', done);
        response.end(list([row('b1', 'BRIARE-2026-000001')]));
      }
    },
    'centre-val-de-loire': (request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json', ...cors(request) });
      response.end(list([row('r1', 'REGION-2026-000001', { bucket: 'action_required', label: 'Pièce à fournir' })]));
    },
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url, HOSTILE_ORIGIN);
    const [, member, ...rest] = url.pathname.split('/');
    open.add(response);
    openPer.set(member, (openPer.get(member) ?? 0) + 1);
    response.on('close', () => {
      open.delete(response);
      openPer.set(member, openPer.get(member) - 1);
    });
    const path = `/${rest.join('/')}`;
    const seen = { member, path, method: request.method, credentials: Boolean(request.headers.authorization) };
    if (member === 'montargis') Object.assign(seen, { authorization: request.headers.authorization, dpop: request.headers.dpop });
    requests.push(seen);
    if (request.method === 'OPTIONS') {
      response.writeHead(204, member === 'saint-martin-sur-ocre' ? {} : cors(request));
      response.end();
      return;
    }
    if (path === '/catalogue.toml' && fragments[member]) {
      fragments[member](request, response);
    } else if (path.startsWith('/v1/forms/') && forms[member]?.[path.slice('/v1/forms/'.length)]) {
      response.writeHead(200, { 'Content-Type': 'application/json', ...cors(request) });
      response.end(JSON.stringify(forms[member][path.slice('/v1/forms/'.length)]));
    } else if (path === '/v1/demandes' && lists[member]) {
      lists[member](request, response);
    } else if (member === 'centre-val-de-loire' && path === '/v1/demandes/r1') {
      // Somewhere else on the same origin: a client that follows would hand over the token.
      response.writeHead(307, { Location: `${HOSTILE_ORIGIN}/centre-val-de-loire/steal`, ...cors(request) });
      response.end();
    } else {
      response.writeHead(404, { 'Content-Type': 'application/json', ...cors(request) });
      response.end('{"title":"Introuvable","status":404}');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stats,
    /** How many answers to `member` are still open (e.g. a stalled fragment being waited for). */
    openFragments: (id) => openPer.get(id) ?? 0,
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      for (const response of open) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
