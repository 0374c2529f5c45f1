/**
 * hpm-run under a fake systemd: with NOTIFY_SOCKET set, a unix datagram socket the test opens
 * receives READY=1 (with MAINPID), RELOADING=1 (with MONOTONIC_USEC), READY=1, STOPPING=1, in
 * that order; the programs do not see NOTIFY_SOCKET.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBuilt, killLeftovers, newTag, startHpmRun, waitNoLeftovers } from '../run/helpers.js';
import { cliRequest, exitOf, ProcessTracker, tempDir, waitFor } from './helpers.js';
import { NotifyReceiver } from './notify-receiver.js';

describe('hpm-run and systemd notify', () => {
  const tracker = new ProcessTracker();
  const tmp = tempDir('notifyrun');
  const tag = newTag();
  afterAll(async () => {
    killLeftovers(tag);
    await tracker.killAll();
    tmp.cleanup();
  });

  it('sends READY, RELOADING, READY, STOPPING in order', async () => {
    ensureBuilt();
    const receiver = new NotifyReceiver(join(tmp.dir, 'notify.sock'), tracker);
    await receiver.ready();
    const cfg = join(tmp.dir, 'haproxy.cfg');
    // Written aside and renamed: the instance a reload starts must not leave the file empty for a moment.
    const envDump = join(tmp.dir, 'env.txt');
    writeFileSync(cfg, `global\n    master-worker\nprogram env\n    command sh -c "env > ${envDump}.tmp && mv ${envDump}.tmp ${envDump}; exec sleep 300"\n`);
    const sock = join(tmp.dir, 'hpm.sock');
    const run = startHpmRun(['-S', sock, cfg], { tag, env: { NOTIFY_SOCKET: receiver.path } });

    await waitFor('READY=1', () => receiver.messages.length >= 1 || undefined);
    expect(receiver.messages[0]).toBe(`READY=1\nMAINPID=${run.child.pid}\n`);
    const reply = await cliRequest(sock, 'reload\n');
    expect(reply.startsWith('Success=1\n--\n')).toBe(true);
    await waitFor('RELOADING=1 and READY=1', () => receiver.messages.length >= 3 || undefined);
    run.signal('SIGTERM');
    expect((await exitOf(run.child)).code).toBe(0);
    await waitFor('STOPPING=1', () => receiver.messages.length >= 4 || undefined);

    expect(receiver.kinds()).toEqual(['READY=1', 'RELOADING=1', 'READY=1', 'STOPPING=1']);
    expect(receiver.messages[1]).toMatch(/^RELOADING=1\nMONOTONIC_USEC=\d+\n$/);
    const env = readFileSync(envDump, 'utf8');
    expect(env).toMatch(/^HAPROXY_MASTER_CLI=unix@.*hpm\.sock$/m);
    expect(env).not.toMatch(/^NOTIFY_SOCKET=/m);
    expect(await waitNoLeftovers(tag)).toEqual([]);
  });
});
