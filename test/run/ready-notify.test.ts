/**
 * systemd READY=1 waits for every `ready` check: under a fake notify socket, a program whose
 * check cannot pass yet holds READY=1 back; once its file exists, the check passes and READY=1
 * follows.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NotifyReceiver } from '../run-ops/notify-receiver.js';
import { ProcessTracker, waitFor } from '../run-ops/helpers.js';
import { ensureBuilt, killLeftovers, newTag, sleep, startHpmRun, tempDir } from './helpers.js';

const tag = newTag();
const tmp = tempDir();
const tracker = new ProcessTracker();
afterAll(async () => {
  killLeftovers(tag);
  await tracker.killAll();
  tmp.cleanup();
});

describe('systemd READY=1 and ready checks', () => {
  it('READY=1 comes only once the ready file check has passed', async () => {
    ensureBuilt();
    const receiver = new NotifyReceiver(join(tmp.dir, 'notify.sock'), tracker);
    await receiver.ready();
    const flag = join(tmp.dir, 'ready-flag');
    const cfg = tmp.write('ready.cfg', `global\n    master-worker\nprogram plain\n    command sleep 300\nprogram slow\n    command sleep 301\n.if defined(HPM_RUN)\n    ready file ${flag}\n.endif\n`);
    const run = startHpmRun([cfg], { tag, env: { NOTIFY_SOCKET: receiver.path } });
    try {
      await run.waitForLine(/New program 'slow' \(\d+\) forked/);
      await sleep(500); // several check attempts (every 100 ms): none may let READY=1 through
      expect(receiver.messages).toEqual([]);
      writeFileSync(flag, '');
      await run.waitForLine(/Program 'slow' \(\d+\) is ready \(file /);
      await waitFor('READY=1', () => receiver.messages.length >= 1 || undefined);
      expect(receiver.messages[0]).toBe(`READY=1\nMAINPID=${run.child.pid}\n`);
    } finally {
      run.signal('SIGTERM');
      await run.exited;
    }
  }, 30_000);
});
