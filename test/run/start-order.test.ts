/**
 * `after`, `ready` and `ready-timeout` with real processes: B starts only once A's port accepts
 * (A binds it late on purpose), hpm-run stops B before A, `show proc json` shows each program's
 * state, and a program that never becomes ready is logged and restarted by its policy.
 */
import { createConnection } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExtension } from '../../src/model/extensions.js';
import { fileAccounts } from '../../src/model/index.js';
import { loadRunConfig } from '../../src/run/config.js';
import { checkNoLeftoversAfterEach, ensureBuilt, newTag, startHpmRun, tempDir, waitUntil } from './helpers.js';
import { freePort } from '../run-ops/helpers.js';

const tag = newTag();
const tmp = tempDir();
beforeAll(() => ensureBuilt(), 120_000);
checkNoLeftoversAfterEach(tag);
afterAll(() => tmp.cleanup());

/** Binds the port given as argv[2] after 700 ms; stops at once on SIGTERM. */
const LATE_SERVER = `
const server = require('node:net').createServer((c) => c.end());
process.on('SIGTERM', () => process.exit(0));
setTimeout(() => server.listen(Number(process.argv[2]), '127.0.0.1', () => console.log('A listening')), 700);
`;
/** Connects once to the port given as argv[2] and says whether it could; then waits. */
const CLIENT = `
process.on('SIGTERM', () => process.exit(0));
const c = require('node:net').createConnection({ host: '127.0.0.1', port: Number(process.argv[2]) });
c.on('connect', () => { console.log('B connected'); c.destroy(); });
c.on('error', (e) => console.log('B refused ' + e.code));
setInterval(() => {}, 1000);
`;


function ask(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const conn = createConnection({ path: socket });
    let reply = '';
    conn.setEncoding('utf8').on('data', (c: string) => (reply += c));
    conn.on('error', reject);
    conn.on('close', () => resolve(reply));
    conn.end(`${command}\n`);
  });
}

const statesOf = async (socket: string): Promise<Record<string, string>> =>
  Object.fromEntries((JSON.parse(await ask(socket, 'show proc json')) as { programStates: { name: string; state: string }[] }).programStates.map((p) => [p.name, p.state]));

describe('after, ready, ready-timeout', () => {
  it('parse: the checks, their addresses, the timeout', () => {
    expect(parseExtension('ready', ['tcp', '127.0.0.1:8080'])).toEqual({ ok: true, value: { ready: { kind: 'tcp', host: '127.0.0.1', port: 8080 } } });
    expect(parseExtension('ready', ['tcp', '[::1]:80'])).toEqual({ ok: true, value: { ready: { kind: 'tcp', host: '::1', port: 80 } } });
    expect(parseExtension('ready', ['tcp', '127.0.0.1:99999'])).toMatchObject({ ok: false, message: "invalid address '127.0.0.1:99999'" });
    expect(parseExtension('ready', ['tcp', 'localhost'])).toMatchObject({ ok: false, message: "invalid address 'localhost'" });
    expect(parseExtension('ready', ['exec', 'test', '-e', '/x'])).toEqual({ ok: true, value: { ready: { kind: 'exec', argv: ['test', '-e', '/x'] } } });
    expect(parseExtension('ready', ['http', 'x'])).toMatchObject({ ok: false, message: "unknown readiness check 'http'" });
    expect(parseExtension('ready-timeout', ['5s'])).toEqual({ ok: true, value: { readyTimeoutMs: 5000 } });
    expect(parseExtension('after', ['a', 'haproxy'])).toEqual({ ok: true, value: { after: ['a', 'haproxy'] } });
  });

  it('B (after A) starts only once A (ready tcp) accepts; stop goes in reverse; show proc json has each state', async () => {
    const port = await freePort();
    const server = tmp.write('late-server.js', LATE_SERVER);
    const client = tmp.write('client.js', CLIENT);
    const flag = join(tmp.dir, 'c-ready');
    const sock = join(tmp.dir, 'master.sock');
    const path = tmp.write(
      'order.cfg',
      [
        'global',
        '    master-worker',
        // B first in the file: the order comes from `after`, not from the file.
        'program B',
        `    command "${process.execPath}" "${client}" ${port}`,
        '.if defined(HPM_RUN)',
        '    after A',
        '.endif',
        'program A',
        `    command "${process.execPath}" "${server}" ${port}`,
        '.if defined(HPM_RUN)',
        `    ready tcp 127.0.0.1:${port}`,
        '    ready-timeout 20s',
        // At a reload the former A is gone before the new one starts: its check cannot pass on the old port.
        '    reload-order stop-first',
        '.endif',
        'program C',
        '    command sleep 30',
        '.if defined(HPM_RUN)',
        `    ready file ${flag}`,
        '    ready-timeout 60s',
        '.endif',
        '',
      ].join('\n'),
    );
    const run = startHpmRun(['-S', sock, path], { tag });
    try {
      await run.waitForLine(/New program 'B' \(\d+\) forked/);
      await waitUntil(() => /^B /m.test(run.stdout()), "B's connection attempt");
      expect(run.stdout()).toMatch(/^B connected$/m);
      expect(run.stdout()).not.toMatch(/^B refused/m);
      const lines = run.lines();
      const at = (pattern: RegExp) => lines.findIndex((l) => pattern.test(l));
      expect(at(/Program 'B' waits for 'A' to be ready \(after\)/)).toBeGreaterThanOrEqual(0);
      expect(at(/Program 'A' \(\d+\) is ready \(tcp 127\.0\.0\.1:\d+\)/)).toBeLessThan(at(/New program 'B'/));
      expect(await statesOf(sock)).toEqual({ B: 'running', A: 'ready', C: 'starting' });
      writeFileSync(flag, '');
      await run.waitForLine(/Program 'C' \(\d+\) is ready \(file /);
      expect((await statesOf(sock)).C).toBe('ready');
      // A reload keeps the order: the new B forks only after the new A is ready.
      run.signal('SIGHUP');
      await waitUntil(() => (run.stdout().match(/^B connected$/gm) ?? []).length === 2, "the new B's connection", 20_000);
      const reloaded = run.lines();
      const last = (pattern: RegExp) => reloaded.findLastIndex((l) => pattern.test(l));
      expect(last(/Program 'A' \(\d+\) is ready/)).toBeGreaterThan(reloaded.findIndex((l) => /Reloading HAProxy/.test(l)));
      expect(last(/Program 'A' \(\d+\) is ready/)).toBeLessThan(last(/New program 'B'/));
      expect(run.stdout()).not.toMatch(/^B refused/m);
      run.signal('SIGTERM');
      expect(await run.exited).toBe(0);
      const after = run.lines();
      expect(after.findIndex((l) => /Current program 'B' \(\d+\) exited/.test(l))).toBeLessThan(after.findIndex((l) => /Current program 'A' \(\d+\) exited/.test(l)));
    } finally {
      run.signal('SIGTERM');
      await run.exited;
    }
  }, 40_000);

  it('not ready in time: WARNING, stopped, and its restart policy treats it as a failed start', async () => {
    const path = tmp.write(
      'never.cfg',
      `global\n    master-worker\nprogram never\n    command sleep 30\n.if defined(HPM_RUN)\n    ready unix ${join(tmp.dir, 'none.sock')}\n    ready-timeout 300ms\n    restart on-failure\n.endif\n`,
    );
    const run = startHpmRun([path], { tag });
    try {
      await run.waitForLine(/\[WARNING\] +\(\d+\) : Program 'never' \(\d+\) not ready within 300ms \(unix .*none\.sock\): stopping it, a failed start/);
      await run.waitForLine(/Current program 'never' \(\d+\) exited with code 143 \(Terminated\)/);
      await run.waitForLine(/Program 'never' will be restarted in 1s \(restart on-failure\)/);
    } finally {
      run.signal('SIGTERM');
      await run.exited;
    }
  }, 20_000);

  it('ready exec: a command that exits 0 makes the program ready; one that hangs is killed at the deadline', async () => {
    const { waitUntilReady } = await import('../../src/run/readiness.js');
    const signal = new AbortController().signal;
    const flag = join(tmp.dir, 'exec-flag');
    writeFileSync(flag, '');
    expect(await waitUntilReady({ kind: 'exec', argv: ['test', '-e', flag] }, { timeoutMs: 5_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, signal })).toBe(true);
    const marker = `hang-${tag}`;
    expect(await waitUntilReady({ kind: 'exec', argv: ['sh', '-c', `exec sleep 30 # ${marker}`] }, { timeoutMs: 300, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HPM_TEST_TAG: tag }, signal })).toBe(false);
  });

  it('a cycle or an unknown name in after: hpm-run refuses the configuration (lint errors)', () => {
    const accounts = fileAccounts({ users: [], groups: [] });
    const cycle = tmp.write('cycle.cfg', 'global\n    master-worker\nprogram a\n    command sleep 1\n.if defined(HPM_RUN)\n    after b\n.endif\nprogram b\n    command sleep 1\n.if defined(HPM_RUN)\n    after a nobody\n.endif\n');
    const refused = loadRunConfig([cycle], {}, accounts);
    expect(refused.ok).toBe(false);
    expect(refused.diagnostics.map((d) => [d.ruleId, d.message])).toEqual([
      ['hpm/after-cycle', "'after' makes a cycle: 'a' -> 'b' -> 'a'"],
      ['hpm/unknown-after-program', "no program named 'nobody'"],
    ]);
  });

  it("'after haproxy' without --haproxy: refused before anything starts", async () => {
    const path = tmp.write('needs-haproxy.cfg', 'global\n    master-worker\nprogram api\n    command sleep 30\n.if defined(HPM_RUN)\n    after haproxy\n.endif\n');
    const run = startHpmRun([path], { tag });
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toContain("program 'api': 'after haproxy' needs hpm-run --haproxy");
    expect(run.stderr()).not.toContain('New program');
  });
});
