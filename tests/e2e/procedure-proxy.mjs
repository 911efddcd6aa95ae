// Helpers of the procedure fault-injection tests (helper "procedure"): a small HTTP proxy on
// 127.0.0.1 put in front of one demo provider, whose faults the test switches on and off, and
// quick ways through the demo forms.
//
// The provider is moved, not mocked: it is stopped, started again with the same configuration
// (same database, same files) on another port, and the proxy takes its place on its usual port,
// so the portal, the catalogue and the token audience do not change.

import http from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { stopProvider, startProvider, agent } from './stack.mjs';

const WRITE = /^\/v1\/(forms\/[^/]+\/demandes|demandes\/[^/]+\/replies)$/;
const LOOKUP = /^\/v1\/idempotency-keys\//;

async function healthy(url, up) {
  for (let i = 0; i < 100; i += 1) {
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok === up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not become ${up ? 'available' : 'unavailable'}`);
}

/**
 * Puts `member`'s provider behind a proxy. `faults.writes`: 'pass', 'drop-after' (forward the
 * write, wait for the provider's whole answer, then cut the connection without a byte of it) or
 * 'drop-before' (cut it without forwarding); `faults.lookups`: 'pass' or 'drop'. `seen.writes`
 * records each write's Idempotency-Key, `seen.lookups` each key asked about.
 */
export async function behindProxy(member, { movedPort }) {
  const stack = JSON.parse(readFileSync(process.env.GUICHET_STACK, 'utf8'));
  const entry = stack.find((e) => e.name === `provider ${member}`);
  const port = Number(new URL(entry.url).port);
  const config = entry.args[entry.args.indexOf('--config') + 1];
  // Same directory, so the relative database and storage paths still point to the same data.
  const movedConfig = join(dirname(config), `${member}-behind-proxy.toml`);
  writeFileSync(movedConfig, readFileSync(config, 'utf8').replace(/^bind = .*$/m, `bind = "127.0.0.1:${movedPort}"`));
  await stopProvider(member);
  const moved = spawn(entry.program, ['--config', movedConfig, 'serve'], { cwd: entry.cwd, stdio: 'ignore' });
  const upstream = `http://127.0.0.1:${movedPort}`;
  // Listed in stack.json, so the stack stops it even if this test dies first.
  const movedName = `provider ${member} (behind the proxy)`;
  const listed = () => JSON.parse(readFileSync(process.env.GUICHET_STACK, 'utf8'));
  writeFileSync(process.env.GUICHET_STACK, JSON.stringify([...listed(), { ...entry, name: movedName, url: upstream, pid: moved.pid }], null, 2));
  await healthy(upstream, true);

  const faults = { writes: 'pass', lookups: 'pass' };
  const seen = { writes: [], lookups: [] };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url, upstream).pathname;
      const write = req.method === 'POST' && WRITE.test(path);
      const lookup = req.method === 'GET' && LOOKUP.test(path);
      if (write) seen.writes.push(req.headers['idempotency-key']);
      if (lookup) seen.lookups.push(decodeURIComponent(path.slice('/v1/idempotency-keys/'.length)));
      if ((write && faults.writes === 'drop-before') || (lookup && faults.lookups === 'drop')) {
        req.socket.destroy();
        return;
      }
      const forwarded = http.request(`${upstream}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        const body = [];
        answer.on('data', (c) => body.push(c));
        answer.on('end', () => {
          if (write && faults.writes === 'drop-after') {
            req.socket.destroy();
            return;
          }
          res.writeHead(answer.statusCode, answer.headers);
          res.end(Buffer.concat(body));
        });
      });
      forwarded.on('error', () => req.socket.destroy());
      forwarded.end(Buffer.concat(chunks));
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });

  return {
    faults,
    seen,
    /** Stops the proxy and the moved provider, and starts the provider as the stack had it. */
    async restore() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      moved.kill('SIGKILL');
      await healthy(upstream, false);
      writeFileSync(process.env.GUICHET_STACK, JSON.stringify(listed().filter((e) => e.name !== movedName), null, 2));
      await startProvider(member);
    },
  };
}

/** How many demandes of `form` the demo citizen has at `member`. */
export function countDemandes(member, form) {
  return Number(agent(member, 'count', '--subject', 'demo-camille-martin', '--form', form));
}

/** A date a few months ahead (`YYYY-MM-DD`), always accepted by the forms' `min: today`. */
export function futureDate() {
  const d = new Date(Date.now() + 120 * 24 * 3600 * 1000);
  return d.toISOString().slice(0, 10);
}

/** Fills Gien's room booking (one page) from its consent step up to the review. */
export async function reserveRoom(page, { participants = '40' } = {}) {
  await page.getByLabel('Oui, pré-remplir le formulaire avec ces informations').check();
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByLabel('Salle Marcel-Pagnol (80 personnes)').check();
  await page.getByLabel('Date souhaitée').fill(futureDate());
  await page.getByLabel('Nombre de participants').fill(participants);
  await page.getByLabel('À titre personnel').check();
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByRole('heading', { name: 'Vérifiez vos réponses avant d’envoyer' }).waitFor();
}
