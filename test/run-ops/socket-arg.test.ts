/**
 * The `-S` argument and the socket file, where hpm-run used to go wrong: a bad mode or a path
 * the kernel cannot bind made it log an ALERT and hang (ignoring SIGTERM); a missing directory
 * gave Node's EACCES; the umask was narrowed for the whole process across an `await`; a SIGKILLed
 * `hpm-run --haproxy` left its copy directory behind; `--haproxy` ran two fork servers.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ControlSocket } from '../../src/run/cli/server.js';
import { parseControlSocketArg } from '../../src/run/cli/socket-arg.js';
import { removeStaleCopyDirs } from '../../src/run/haproxy-child.js';
import { haproxyAvailable, skipReason } from '../helpers/env.js';
import { ensureBuilt, killLeftovers, newTag, startHpmRun, waitNoLeftovers } from '../run/helpers.js';
import { childrenOf, cliRequest, exitOf, freePort, tempDir, waitFor } from './helpers.js';

const handlers = { version: 'test', snapshot: () => ({ master: { pid: 1, reloads: 0, failedReloads: 0, startedAt: 0, version: 'test' }, workers: [], oldWorkers: [], programs: [], oldPrograms: [] }), reload: async () => ({ success: true, logLines: [] }) };

describe('-S checked before anything starts', () => {
  const tmp = tempDir('sockarg');
  const tag = newTag();
  afterAll(async () => {
    killLeftovers(tag);
    tmp.cleanup();
  });

  const cases: [string, (dir: string) => string, RegExp][] = [
    ['a mode that is not octal', (dir) => `${join(dir, 'a.sock')},mode,999`, /-S: mode '999' is not an octal file mode/],
    ['a path over 107 bytes', (dir) => join(dir, 'x'.repeat(120)), /-S: socket path too long \(\d+ bytes, unix sockets take at most 107\)/],
    ['a missing directory', (dir) => join(dir, 'missing', 'a.sock'), /-S .*missing\/a\.sock: directory .*missing does not exist/],
  ];

  it.each(cases)('%s: exits 1 with a clear message, nothing started', async (_name, arg, message) => {
    ensureBuilt();
    const cfg = join(tmp.dir, 'haproxy.cfg');
    writeFileSync(cfg, 'global\n    master-worker\nprogram idle\n    command sleep 300\n');
    const run = startHpmRun(['-S', arg(tmp.dir), cfg], { tag });
    expect(await exitOf(run.child)).toEqual({ code: 1, signal: null });
    expect(run.stderr()).toMatch(message);
    expect(run.stderr()).not.toMatch(/New program/);
    expect(await waitNoLeftovers(tag)).toEqual([]);
  });

  it('parses the modes HAProxy takes', () => {
    expect(parseControlSocketArg(`${tmp.dir}/a.sock,mode,660`).options.mode).toBe(0o660);
    expect(parseControlSocketArg(`unix@${tmp.dir}/a.sock,mode,0600,uid,0`).options).toEqual({ mode: 0o600, uid: 0 });
    expect(() => parseControlSocketArg(`${tmp.dir}/a.sock,mode,`)).toThrow(/not an octal file mode/);
  });

  it('never leaves the process umask changed while the socket is being created', async () => {
    const before = process.umask();
    const listening = ControlSocket.listen(join(tmp.dir, 'umask.sock'), handlers, { mode: 0o600 });
    // Whatever else this process creates while listen() is pending gets its usual mode.
    expect(process.umask()).toBe(before);
    const socket = await listening;
    expect(statSync(join(tmp.dir, 'umask.sock')).mode & 0o777).toBe(0o600);
    await socket.close();
  });
});

describe('copy directories of hpm-run --haproxy', () => {
  it('removes those of dead hpm-run processes, keeps live ones and other names', () => {
    const base = mkdtempSync(join(tmpdir(), 'hpm-stale-'));
    try {
      // A pid that cannot be running: above the kernel's pid_max.
      const deadPid = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8')) + 1;
      for (const name of [`hpm-run-haproxy-${deadPid}-abcdef`, `hpm-run-haproxy-${process.pid}-abcdef`, `hpm-run-haproxy-1-abcdef`, 'hpm-run-haproxy-other']) mkdirSync(join(base, name));
      writeFileSync(join(base, `hpm-run-haproxy-${deadPid}-abcdef`, 'x.cfg'), 'global\n');
      removeStaleCopyDirs(base);
      expect(readdirSync(base).sort()).toEqual([`hpm-run-haproxy-${process.pid}-abcdef`, 'hpm-run-haproxy-1-abcdef', 'hpm-run-haproxy-other'].sort());
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});

describe.skipIf(skipReason('one fork server under --haproxy', haproxyAvailable, 'haproxy is not installed'))('hpm-run --haproxy processes', () => {
  const tmp = tempDir('oneforkserver');
  const tag = newTag();
  afterAll(async () => {
    killLeftovers(tag);
    tmp.cleanup();
  });

  it('runs HAProxy and the programs through one fork server', async () => {
    ensureBuilt();
    const cfg = join(tmp.dir, 'haproxy.cfg');
    const port = await freePort();
    writeFileSync(cfg, `defaults\n    mode http\n    timeout client 5s\n    timeout server 5s\n    timeout connect 5s\nfrontend fe\n    bind 127.0.0.1:${port}\n.if defined(HPM_RUN)\nprogram idle\n    command sleep 300\n.endif\n`);
    const sock = join(tmp.dir, 'hpm.sock');
    const run = startHpmRun(['--haproxy', 'haproxy', '-S', sock, cfg], { tag });
    await waitFor('HAProxy and the program', async () => /^\d+ +worker (.*\n)*# programs\n\d+ +idle/m.test(await cliRequest(sock, 'show proc\n', 2000)) || undefined, 30_000);
    const forkServers = childrenOf(run.child.pid!).filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('forkserver'));
    expect(forkServers).toHaveLength(1);
    run.signal('SIGTERM');
    expect(await exitOf(run.child)).toEqual({ code: 0, signal: null });
    expect(await waitNoLeftovers(tag)).toEqual([]);
  });
});
