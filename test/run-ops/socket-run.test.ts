/**
 * hpm-run -S: a second hpm-run on the same socket refuses to start (the first keeps serving),
 * the socket is 0600, it is removed at the end, and a stale one is replaced.
 */
import { lstatSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBuilt, killLeftovers, newTag, startHpmRun, waitNoLeftovers } from '../run/helpers.js';
import { cliRequest, exitOf, ProcessTracker, tempDir, waitFor } from './helpers.js';

describe('hpm-run -S', () => {
  const tmp = tempDir('sockrun');
  const tag = newTag();
  const tracker = new ProcessTracker();
  afterAll(async () => {
    killLeftovers(tag);
    await tracker.killAll();
    tmp.cleanup();
  });

  it('refuses a socket in use, serves 0600, removes it at the end, replaces a stale one', async () => {
    ensureBuilt();
    const cfg = join(tmp.dir, 'haproxy.cfg');
    writeFileSync(cfg, 'global\n    master-worker\nprogram idle\n    command sleep 300\n');
    const sock = join(tmp.dir, 'master.sock');
    const first = startHpmRun(['-S', sock, cfg], { tag });
    await waitFor('the first hpm-run to answer', async () => (await cliRequest(sock, 'show proc\n', 1000)).includes('idle') || undefined);
    expect(lstatSync(sock).mode & 0o777).toBe(0o600);

    const second = startHpmRun(['-S', sock, cfg], { tag });
    expect((await exitOf(second.child)).code).toBe(1);
    expect(second.stderr()).toMatch(/control socket .*master\.sock is in use/);
    expect(second.stderr()).not.toMatch(/New program/); // refused before starting anything
    expect(await cliRequest(sock, 'show proc\n')).toMatch(/^\d+ +idle +0 /m);

    first.signal('SIGTERM');
    expect((await exitOf(first.child)).code).toBe(0);
    expect(() => lstatSync(sock)).toThrow();

    // A stale socket: its owner was killed (SIGKILL) and could not remove it.
    const holder = tracker.spawn('socat', [`UNIX-LISTEN:${sock}`, 'EXEC:true']);
    await waitFor('socat to listen', () => lstatSync(sock).isSocket() || undefined);
    holder.kill('SIGKILL');
    await exitOf(holder);
    const third = startHpmRun(['-S', sock, cfg], { tag });
    await waitFor('hpm-run on the stale path', async () => (await cliRequest(sock, 'show proc\n', 1000)).includes('idle') || undefined);
    third.signal('SIGTERM');
    expect((await exitOf(third.child)).code).toBe(0);
    expect(await waitNoLeftovers(tag)).toEqual([]);
  });
});
