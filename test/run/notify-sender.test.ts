/**
 * systemd notify datagrams leave through the fork server (one long-lived sender), not through a
 * new helper process per message. The receiver reads each datagram's sender pid
 * (SO_PASSCRED), which only python3's socket module offers among the usual tools.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipReason } from '../helpers/env.js';
import { checkNoLeftoversAfterEach, ensureBuilt, newTag, startHpmRun, tempDir, waitUntil } from './helpers.js';

const RECEIVER = String.raw`
import socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
s.bind(sys.argv[1])
print('bound', flush=True)
while True:
    data, anc, flags, addr = s.recvmsg(65536, socket.CMSG_SPACE(12))
    pid = next((struct.unpack('iII', d)[0] for (l, t, d) in anc if t == socket.SCM_CREDENTIALS), -1)
    print(pid, data.hex(), flush=True)
`;

const python = (() => {
  try {
    execFileSync('python3', ['-c', 'import socket; socket.SO_PASSCRED'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const skip = skipReason('the notify sender test', python, 'python3 (to read the sender pid of a datagram) is not installed');

const tag = newTag();
const tmp = tempDir();
beforeAll(() => ensureBuilt(), 120_000);
checkNoLeftoversAfterEach(tag);
afterAll(() => tmp.cleanup());

describe.skipIf(skip)('systemd notify', () => {
  it('READY, RELOADING, READY, STOPPING all come from the fork server, the parent of the programs', async () => {
    const socketPath = join(tmp.dir, 'notify.sock');
    const receiver = spawn('python3', ['-c', RECEIVER, socketPath], { stdio: ['ignore', 'pipe', 'inherit'] });
    const received: { pid: number; message: string }[] = [];
    let bound = false;
    let buffer = '';
    receiver.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        if (line === 'bound') bound = true;
        else {
          const [pid, hex] = line.split(' ');
          received.push({ pid: Number(pid), message: Buffer.from(hex!, 'hex').toString('utf8') });
        }
      }
    });
    try {
      await waitUntil(() => bound, 'the receiver');
      const path = tmp.write('notify.cfg', 'global\n    master-worker\nprogram steady\n    command sleep 431\n');
      const run = startHpmRun([path], { tag, env: { NOTIFY_SOCKET: socketPath } });
      await run.waitForLine(/New program 'steady'/);
      await waitUntil(() => received.length === 1, 'READY=1');
      const program = run.pidOf('steady')!;
      const forkServer = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${program}/status`, 'utf8'))![1]);
      run.signal('SIGHUP');
      await waitUntil(() => received.length === 3, 'RELOADING=1 and READY=1');
      run.signal('SIGTERM');
      expect(await run.exited).toBe(0);
      await waitUntil(() => received.length === 4, 'STOPPING=1');
      expect(received.map((r) => r.message.split('\n')[0])).toEqual(['READY=1', 'RELOADING=1', 'READY=1', 'STOPPING=1']);
      expect(received[0]!.message).toBe(`READY=1\nMAINPID=${run.child.pid}\n`);
      expect(forkServer).not.toBe(run.child.pid);
      expect(received.map((r) => r.pid)).toEqual([forkServer, forkServer, forkServer, forkServer]);
    } finally {
      receiver.kill('SIGKILL');
    }
  });
});
