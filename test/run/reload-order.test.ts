/**
 * `reload-order stop-first`: at a reload the former instance is stopped before the new one
 * starts, so a program that holds a port binds it again at its first try. The program here binds
 * a 127.0.0.1 port chosen at test time, ignores SIGUSR1 (as many servers do) and takes a while to
 * let its port go after SIGTERM; with HAProxy's overlap its new instance finds the port taken.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExtension } from '../../src/model/extensions.js';
import { checkNoLeftoversAfterEach, ensureBuilt, newTag, startHpmRun, tempDir, waitUntil } from './helpers.js';
import { freePort } from '../run-ops/helpers.js';

const tag = newTag();
const tmp = tempDir();
beforeAll(() => ensureBuilt(), 120_000);
checkNoLeftoversAfterEach(tag);
afterAll(() => tmp.cleanup());

const SERVER = `
const net = require('node:net');
const server = net.createServer((c) => c.end());
process.on('SIGUSR1', () => {});
process.on('SIGTERM', () => setTimeout(() => server.close(() => process.exit(0)), 300));
server.on('error', (e) => { console.log('busy ' + process.pid + ' ' + e.code); process.exit(3); });
server.listen(Number(process.argv[2]), '127.0.0.1', () => console.log('bound ' + process.pid));
`;


async function reloadTwice(order: string): Promise<{ out: string; err: string }> {
  const script = tmp.write('server.js', SERVER);
  const port = await freePort();
  const path = tmp.write(
    `${order}.cfg`,
    `global\n    master-worker\nprogram web\n    command "${process.execPath}" "${script}" ${port}\n.if defined(HPM_RUN)\n    reload-order ${order}\n.endif\n`,
  );
  const run = startHpmRun([path], { tag });
  const bound = (): number => (run.stdout().match(/^bound /gm) ?? []).length;
  const busy = (): number => (run.stdout().match(/^busy /gm) ?? []).length;
  try {
    await waitUntil(() => bound() === 1, 'the first instance to bind');
    run.signal('SIGHUP');
    await waitUntil(() => bound() + busy() === 2, 'the second instance to bind or fail');
    run.signal('SIGHUP');
    await waitUntil(() => bound() + busy() === 3, 'the third instance to bind or fail');
  } finally {
    run.signal('SIGTERM');
    await run.exited;
  }
  return { out: run.stdout(), err: run.stderr() };
}

describe('reload-order', () => {
  it('overlap or stop-first', () => {
    expect(parseExtension('reload-order', ['stop-first'])).toEqual({ ok: true, value: { reloadOrder: 'stop-first' } });
    expect(parseExtension('reload-order', ['later'])).toMatchObject({ ok: false, message: "unknown reload order 'later'" });
  });

  it('stop-first: the former instance is gone before the new one starts; each binds the port at its first try', async () => {
    const { out, err } = await reloadTwice('stop-first');
    expect(out).not.toMatch(/^busy/m);
    expect((out.match(/^bound /gm) ?? []).length).toBe(3);
    // Each `Former program ... exited` comes before the next `New program ... forked`.
    const events = [...err.matchAll(/(New|Former) program 'web'/g)].map((m) => m[1]);
    expect(events).toEqual(['New', 'Former', 'New', 'Former', 'New']);
  }, 30_000);

  it('overlap (HAProxy): the new instance starts while the old one still holds the port', async () => {
    const { out } = await reloadTwice('overlap');
    expect(out).toMatch(/^busy \d+ EADDRINUSE/m);
  }, 30_000);
});
