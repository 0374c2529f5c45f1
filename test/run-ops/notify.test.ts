/** sd_notify messages reach a unix datagram socket, in order, with their fields. */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { notifySocketFrom, SystemdNotifier, withoutNotifySocket } from '../../src/run/notify.js';
import { ProcessTracker, tempDir, waitFor } from './helpers.js';
import { NotifyReceiver } from './notify-receiver.js';

describe('SystemdNotifier', () => {
  const tracker = new ProcessTracker();
  const tmp = tempDir('notify');
  afterAll(async () => {
    await tracker.killAll();
    tmp.cleanup();
  });

  it('sends READY, RELOADING with MONOTONIC_USEC, READY, STOPPING in order', async () => {
    const receiver = new NotifyReceiver(join(tmp.dir, 'notify.sock'), tracker);
    await receiver.ready();
    const errors: Error[] = [];
    const notifier = new SystemdNotifier(receiver.path, undefined, (e) => errors.push(e));
    void notifier.ready(4242);
    void notifier.reloading();
    void notifier.reloaded();
    await notifier.stopping();
    await waitFor('four messages', () => receiver.messages.length >= 4 || undefined);
    expect(errors).toEqual([]);
    expect(receiver.kinds()).toEqual(['READY=1', 'RELOADING=1', 'READY=1', 'STOPPING=1']);
    expect(receiver.messages[0]).toBe('READY=1\nMAINPID=4242\n');
    const usec = /MONOTONIC_USEC=(\d+)/.exec(receiver.messages[1]!)?.[1];
    expect(BigInt(usec ?? '0')).toBeGreaterThan(0n);
  });

  it('works with an abstract socket name (@...)', async () => {
    const name = `@hpm-ops-test-${process.pid}-${Date.now()}`;
    const receiver = new NotifyReceiver(name, tracker);
    await receiver.ready();
    await new SystemdNotifier(name).stopping();
    await waitFor('one message', () => receiver.messages.length >= 1 || undefined);
    expect(receiver.kinds()).toEqual(['STOPPING=1']);
  });

  it('reports a socket nobody listens on without throwing', async () => {
    const errors: Error[] = [];
    await new SystemdNotifier(join(tmp.dir, 'nobody.sock'), undefined, (e) => errors.push(e)).ready();
    expect(errors).toHaveLength(1);
  });

  it('reads NOTIFY_SOCKET and keeps it from the programs', () => {
    expect(notifySocketFrom({ NOTIFY_SOCKET: '/run/systemd/notify' })).toBe('/run/systemd/notify');
    expect(notifySocketFrom({ NOTIFY_SOCKET: 'relative' })).toBeUndefined();
    expect(withoutNotifySocket({ NOTIFY_SOCKET: '/x', PATH: '/bin' })).toEqual({ PATH: '/bin' });
  });
});
