/**
 * `show proc` on hpm-run's master CLI and on `haproxy -W -db -S` 2.6, running the same
 * programs, give the same lines once pids and uptimes are masked. Handled explicitly:
 *  - the master row's version column: HAProxy prints its own version, hpm-run `hpm-run-<ver>`;
 *  - the rows under `# workers`: HAProxy has its worker, hpm-run (without --haproxy) none.
 * Checked at start and after one reload (SIGUSR2 to both), where a programs that ignore
 * SIGUSR1 show up under `# old programs`.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyAvailable, skipReason } from '../helpers/env.js';
import { ensureBuilt, killLeftovers, newTag, start, startHpmRun, waitNoLeftovers, type Started } from '../run/helpers.js';
import { cliRequest, exitOf, socatRequest, tempDir, waitFor } from './helpers.js';

const socatAvailable = spawnSync('socat', ['-V']).status === 0;
const skip = skipReason('the show proc differential test', haproxyAvailable, 'haproxy is not installed') || skipReason('the show proc differential test', socatAvailable, 'socat is not installed');

const CONFIG = `global
    master-worker

program alpha
    command sleep 300

program a-program-with-a-long-name
    command sleep 300

program "name with spaces"
    command sh -c "trap '' USR1; sleep 300"

program beta
    command sleep 300

program ign2
    command sh -c "trap '' USR1; sleep 301"
`;

/** Masks what naturally differs between two runs: pids, uptimes; and names the known differences. */
function normalize(reply: string, who: 'haproxy' | 'hpm-run'): string[] {
  const lines = reply.split('\n');
  const out: string[] = [];
  let section = '';
  for (const line of lines) {
    if (line.startsWith('#')) section = line;
    else if (section === '# workers') continue; // worker rows: only HAProxy has one here
    let masked = line.replace(/^\d+ +/, 'PID'.padEnd(16)).replace(/\d+d\d\dh\d\dm\d\ds/, 'UPTIME'.padEnd(11));
    if (/^PID +master /.test(masked)) {
      const version = masked.slice(16 * 4);
      expect(version.trim()).toMatch(who === 'haproxy' ? /^2\.6\./ : /^hpm-run-\d/);
      masked = masked.slice(0, 16 * 4) + 'VERSION';
    }
    out.push(masked);
  }
  return out;
}

describe.skipIf(skip)('show proc: hpm-run versus haproxy 2.6', () => {
  const tmp = tempDir('showproc');
  // Two tags: HAProxy signals program pids only, so its `sh` leaves an orphaned `sleep` that
  // the test has to kill; hpm-run signals process groups and must leave nothing.
  const haproxyTag = newTag();
  const hpmTag = newTag();
  const cfg = join(tmp.dir, 'haproxy.cfg');
  const haproxySock = join(tmp.dir, 'haproxy.sock');
  const hpmSock = join(tmp.dir, 'hpm.sock');
  let haproxy: Started;
  let hpm: Started;

  beforeAll(async () => {
    ensureBuilt();
    writeFileSync(cfg, CONFIG);
    haproxy = start('haproxy', ['-W', '-db', '-S', haproxySock, '-f', cfg], { tag: haproxyTag });
    hpm = startHpmRun(['-S', hpmSock, cfg], { tag: hpmTag });
    for (const sock of [haproxySock, hpmSock]) {
      await waitFor(`show proc on ${sock}`, async () => (await cliRequest(sock, 'show proc\n', 1000)).includes('beta') || undefined);
    }
  });

  afterAll(async () => {
    haproxy?.signal('SIGTERM');
    hpm?.signal('SIGTERM');
    await Promise.all([exitOf(haproxy.child), exitOf(hpm.child)]);
    killLeftovers(haproxyTag);
    const left = await waitNoLeftovers(hpmTag);
    killLeftovers(hpmTag);
    tmp.cleanup();
    expect(left).toEqual([]);
  });

  it('gives the same lines at start (asked with socat)', async () => {
    const expected = normalize(socatRequest(haproxySock, 'show proc'), 'haproxy');
    const actual = normalize(socatRequest(hpmSock, 'show proc'), 'hpm-run');
    expect(actual).toEqual(expected);
    expect(actual).toContain('# programs');
    expect(actual.some((l) => l.includes('a-program-with-a-long-name 0'))).toBe(true);
  });

  it('gives the same lines after a reload, old programs included', async () => {
    haproxy.signal('SIGUSR2');
    hpm.signal('SIGUSR2');
    const after = async (sock: string) =>
      waitFor(`reload seen on ${sock}`, async () => {
        const reply = await cliRequest(sock, 'show proc\n', 2000);
        const old = reply.split('# old programs\n')[1]?.split('\n').filter((l) => l !== '');
        // Settled: the reload is counted and only the programs that ignore SIGUSR1 stayed behind.
        return reply.includes('1 [failed: 0]') && old?.length === 2 && reply.includes('\nPID') === false ? reply : undefined;
      });
    const expected = normalize(await after(haproxySock), 'haproxy');
    const actual = normalize(await after(hpmSock), 'hpm-run');
    expect(actual).toEqual(expected);
    // HAProxy keeps the retired instances of one reload in configuration order.
    expect(actual.slice(-5)).toEqual([
      '# old programs',
      `${'PID'.padEnd(16)}name with spaces 1               ${'UPTIME'.padEnd(11)}     -              `,
      `${'PID'.padEnd(16)}${'ign2'.padEnd(16)}1               ${'UPTIME'.padEnd(11)}     -              `,
      '',
      '',
    ]);
  });
});
