// Control of the demo stack started by `cargo xtask e2e|test` (see xtask/src/stack.rs): stop a
// provider to simulate an outage, start it again, and ask a provider's agent CLI for facts.

import { readFileSync, writeFileSync, openSync } from 'node:fs';
import { spawn, execFileSync } from 'node:child_process';
import { join } from 'node:path';

const STACK_FILE = process.env.GUICHET_STACK;
const DATA = process.env.GUICHET_STACK_DATA;

function entries() {
  if (!STACK_FILE) throw new Error('GUICHET_STACK is not set: run the tests through `cargo xtask e2e`');
  return JSON.parse(readFileSync(STACK_FILE, 'utf8'));
}

function entry(member) {
  const found = entries().find((e) => e.name === `provider ${member}`);
  if (!found) throw new Error(`no provider ${member} in the stack`);
  return found;
}

async function waitFor(url, up) {
  for (let i = 0; i < 100; i += 1) {
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok === up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not become ${up ? 'available' : 'unavailable'}`);
}

/** Stops a member's provider (its port then refuses connections). */
export async function stopProvider(member) {
  const e = entry(member);
  try { process.kill(e.pid, 'SIGKILL'); } catch { /* already gone */ }
  await waitFor(`${e.url}/healthz`, false);
}

/** Starts it again with the same command line (same database), and records its new pid. */
export async function startProvider(member) {
  const all = entries();
  const e = all.find((x) => x.name === `provider ${member}`);
  if (await fetch(`${e.url}/healthz`).then((r) => r.ok, () => false)) return;
  const log = openSync(join(DATA, `${member}-restarted.log`), 'a');
  const child = spawn(e.program, e.args, { cwd: e.cwd, detached: true, stdio: ['ignore', log, log] });
  child.unref();
  e.pid = child.pid;
  writeFileSync(STACK_FILE, JSON.stringify(all, null, 2));
  await waitFor(`${e.url}/healthz`, true);
}

/** Runs `guichet-provider agent …` against a member's database and returns its output. */
export function agent(member, ...args) {
  const e = entry(member);
  const config = e.args[e.args.indexOf('--config') + 1];
  return execFileSync(e.program, ['--config', config, 'agent', ...args], { cwd: e.cwd, encoding: 'utf8' }).trim();
}

/** Origins a bearer token may legitimately reach: every provider of the stack and the issuer. */
export function declaredOrigins() {
  return new Set(entries().map((e) => new URL(e.url).origin));
}
