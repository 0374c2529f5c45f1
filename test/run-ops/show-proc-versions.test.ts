/**
 * `show proc` through `hpm-run --haproxy <binary>`, asked with socat, in the layout of the
 * HAProxy version it runs: against that same version running the same programs itself (2.6,
 * 3.2: every line equal once pids and uptimes are masked, at start and after a reload), and for
 * 3.3+ (no programs in HAProxy) HAProxy's own lines with the programs added in the 3.1+ layout.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipReason } from '../helpers/env.js';
import { ensureBuilt, killLeftovers, newTag, start, startHpmRun, waitNoLeftovers, type Started } from '../run/helpers.js';
import { haproxyMatrix, type HaproxyBinary } from './haproxy-versions.js';
import { cliRequest, exitOf, freePort, socatRequest, tempDir, waitFor } from './helpers.js';

const FIXTURE = resolve(import.meta.dirname, '../../fixtures/run/show-proc-programs.cfg');
const socatMissing = skipReason('show proc per HAProxy version', spawnSync('socat', ['-V']).status === 0, 'socat is not installed');

/** Pids and uptimes masked (3.1/3.2 print absurd program uptimes: haproxy.md §4.2). */
function masked(reply: string): string[] {
  return reply.split('\n').map((line) => line.replace(/^\d+ +/, 'PID'.padEnd(16)).replace(/\d+d\d\dh\d\dm\d\ds */, 'UPTIME'.padEnd(16)));
}

const matrix = socatMissing ? [] : haproxyMatrix('show proc per HAProxy version');

describe.skipIf(matrix.length === 0).each(matrix)('show proc through hpm-run, HAProxy $branch', (bin: HaproxyBinary) => {
  const tmp = tempDir(`showproc-${bin.branch}`);
  // HAProxy signals program pids only, so its `sh` leaves an orphaned `sleep`: two tags.
  const haproxyTag = newTag();
  const hpmTag = newTag();
  const socks = { haproxy: join(tmp.dir, 'haproxy.sock'), hpm: join(tmp.dir, 'hpm.sock') };
  const processes: Started[] = [];

  beforeAll(async () => {
    ensureBuilt();
    const cfg = join(tmp.dir, 'haproxy.cfg');
    copyFileSync(FIXTURE, cfg);
    // 3.3+ has no program sections: HAProxy alone runs the configuration without them.
    const aloneCfg = join(tmp.dir, 'alone.cfg');
    copyFileSync(FIXTURE, aloneCfg);
    if (!bin.hasPrograms) spawnSync('sed', ['-i', '/^program/,$d', aloneCfg]);
    processes.push(start(bin.path, ['-W', '-db', '-S', socks.haproxy, '-f', aloneCfg], { tag: haproxyTag, env: { FE_PORT: String(await freePort()) } }));
    processes.push(startHpmRun(['--haproxy', bin.path, '-S', socks.hpm, cfg], { tag: hpmTag, env: { FE_PORT: String(await freePort()) } }));
    // Up: a worker of that version, and the programs (when the version has them).
    const up = (reply: string) => new RegExp(`^\\d+ +worker +0 +\\S+ +${bin.version.replace(/[.+]/g, '\\$&')}`, 'm').test(reply) && (reply.includes('name with spaces') || !bin.hasPrograms);
    for (const sock of Object.values(socks)) {
      await waitFor(`show proc on ${sock}`, async () => up(await cliRequest(sock, 'show proc\n', 2000)) || undefined, 30_000);
    }
  }, 60_000);

  afterAll(async () => {
    for (const p of processes) if (p.child.exitCode === null) p.signal('SIGTERM');
    // exit, not close: HAProxy's orphaned `sleep` keeps its stdio open.
    await Promise.all(processes.map((p) => exitOf(p.child)));
    killLeftovers(haproxyTag);
    const left = await waitNoLeftovers(hpmTag);
    killLeftovers(hpmTag);
    tmp.cleanup();
    expect(left).toEqual([]);
  }, 30_000);

  const programRows = ['# programs', `${'PID'.padEnd(16)}${'alpha'.padEnd(16)}0               ${'UPTIME'.padEnd(16)}-              `, `${'PID'.padEnd(16)}name with spaces 0               ${'UPTIME'.padEnd(16)}-              `];

  it('is HAProxy\'s own show proc, programs listed as that version lists them', () => {
    const alone = masked(socatRequest(socks.haproxy, 'show proc'));
    const proxied = masked(socatRequest(socks.hpm, 'show proc'));
    if (bin.hasPrograms) expect(proxied).toEqual(alone);
    // 3.3+: no `# programs` without programs (3.1 layout); hpm-run's come after the workers.
    else expect(proxied).toEqual([...alone.slice(0, -2), ...programRows, '', '']);
    expect(proxied).toEqual(expect.arrayContaining(programRows));
    expect(proxied[1]).toMatch(new RegExp(`^PID +master +0 \\[failed: 0\\] +UPTIME +${bin.version.replace(/[.+]/g, '\\$&')}`));
  });

  it('show proc debug keeps the version\'s extra columns (3.1+) or its plain table', () => {
    const alone = masked(socatRequest(socks.haproxy, 'show proc debug'));
    const proxied = masked(socatRequest(socks.hpm, 'show proc debug'));
    if (bin.hasPrograms) expect(proxied).toEqual(alone);
    else expect(proxied).toEqual([...alone.slice(0, -2), ...programRows, '', '']);
  });

  it.skipIf(!bin.hasPrograms)('stays equal after a reload (old programs included)', async () => {
    for (const sock of Object.values(socks)) {
      if (bin.syncReload) await cliRequest(sock, 'reload\n', 30_000);
      else if (sock === socks.hpm) await cliRequest(sock, 'reload\n', 30_000);
      else processes[0]!.signal('SIGUSR2');
    }
    const settled = (sock: string) =>
      waitFor(`reload seen on ${sock}`, async () => {
        const reply = await cliRequest(sock, 'show proc\n', 2000);
        // Settled: only the program that ignores SIGUSR1 stayed behind, the old worker is gone.
        const old = reply.split('# old programs\n')[1]?.split('\n').filter((l) => l !== '');
        return reply.includes(' 1 [failed: 0]') && old?.length === 1 && !reply.includes('# old workers') ? reply : undefined;
      });
    const alone = masked(await settled(socks.haproxy));
    const proxied = masked(await settled(socks.hpm));
    expect(proxied).toEqual(alone);
  });
});
