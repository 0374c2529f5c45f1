/**
 * `hpm-run --haproxy-socket <path>`: attached to an HAProxy master started elsewhere
 * (`haproxy -W -S <path>`), hpm-run proxies its master CLI, reloads it through that socket
 * before the programs (Success= from HAProxy), lists its rows in show proc, and leaves it
 * running when hpm-run stops. Checked with 2.6 (reload by signal) and the newest 2.7+ version.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBuilt, killLeftovers, newTag, running, start, startHpmRun, waitNoLeftovers, type Started } from '../run/helpers.js';
import { haproxyMatrix, type HaproxyBinary } from './haproxy-versions.js';
import { cliRequest, exitOf, freePort, httpFrontendLines, tempDir, waitFor } from './helpers.js';

const FIXTURE = resolve(import.meta.dirname, '../../fixtures/run/dpapi-replay.cfg');

const all = haproxyMatrix('--haproxy-socket');
const matrix = [all.find((b) => !b.syncReload), [...all].reverse().find((b) => b.syncReload)].filter((b): b is HaproxyBinary => b !== undefined);

describe.skipIf(matrix.length === 0).each(matrix)('hpm-run --haproxy-socket, HAProxy $branch', (bin: HaproxyBinary) => {
  const tag = newTag();
  const tmp = tempDir(`attach-${bin.branch}`);
  const started: Started[] = [];

  afterAll(async () => {
    for (const p of started) if (p.child.exitCode === null) p.signal('SIGTERM');
    await Promise.all(started.map((p) => exitOf(p.child)));
    const left = await waitNoLeftovers(tag);
    killLeftovers(tag);
    tmp.cleanup();
    expect(left).toEqual([]);
  }, 30_000);

  it('proxies, reloads HAProxy first, and leaves it running', async () => {
    ensureBuilt();
    const cfg = join(tmp.dir, 'haproxy.cfg');
    copyFileSync(FIXTURE, cfg);
    const haproxySock = join(tmp.dir, 'haproxy.sock');
    const hpmSock = join(tmp.dir, 'hpm.sock');
    const env = { FE_PORT: String(await freePort()), BE_PORT: String(await freePort()) };
    const haproxy = start(bin.path, ['-W', '-db', '-S', haproxySock, '-f', cfg], { tag, env });
    started.push(haproxy);
    await waitFor('HAProxy', async () => (await cliRequest(haproxySock, '@1 show version\n', 2000)).startsWith(bin.version) || undefined, 30_000);
    const hpm = startHpmRun(['--haproxy-socket', haproxySock, '-S', hpmSock, cfg], { tag, env });
    started.push(hpm);
    await waitFor('hpm-run', async () => (await cliRequest(hpmSock, 'show proc\n', 2000)).includes(' api ') || undefined, 30_000);

    expect(await cliRequest(hpmSock, '@1 show version\n')).toBe(await cliRequest(haproxySock, '@1 show version\n'));
    const masterRow = (reply: string) => /^(\d+) +master +(\d+ \[failed: \d+\])/m.exec(reply);
    const own = masterRow(await cliRequest(haproxySock, 'show proc\n'))!;
    const listed = await cliRequest(hpmSock, 'show proc\n');
    expect(masterRow(listed)?.[1]).toBe(own[1]);
    expect(listed).toMatch(/^# programs\n\d+ +api +0 /m);

    const reply = await cliRequest(hpmSock, 'reload;quit\n', 60_000);
    expect(reply.split('\n--\n')[0]).toBe('Success=1');
    expect(masterRow(await cliRequest(haproxySock, 'show proc\n'))?.[2]).toBe('1 [failed: 0]');
    const api = /^(\d+) +api /m.exec(await cliRequest(hpmSock, 'show proc\n'))![1];

    // Passes HAProxy's checks, cannot bind: HAProxy refuses the reload, the program stays.
    const held = createServer();
    await new Promise<void>((r) => held.listen(0, '127.0.0.1', r));
    const port = (held.address() as { port: number }).port;
    writeFileSync(cfg, readFileSync(FIXTURE, 'utf8').replace('"127.0.0.1:${FE_PORT}"', `127.0.0.1:${port}`));
    try {
      const failed = await cliRequest(hpmSock, 'reload;quit\n', 60_000);
      expect(failed.split('\n--\n')[0]).toBe('Success=0');
      expect(failed).toMatch(/HAProxy could not reload/);
      const after = await cliRequest(hpmSock, 'show proc\n');
      expect(masterRow(after)?.[2]).toBe('2 [failed: 1]');
      expect(/^(\d+) +api /m.exec(after)![1]).toBe(api);
      expect(await cliRequest(hpmSock, '@1 show version\n')).toMatch(/^\d/);
    } finally {
      held.close();
    }

    hpm.signal('SIGTERM');
    expect(await exitOf(hpm.child)).toEqual({ code: 0, signal: null });
    expect(haproxy.child.exitCode).toBeNull();
    expect(await cliRequest(haproxySock, '@1 show version\n')).toMatch(/^\d/);
  }, 90_000);

  it("reads the configuration as the attached HAProxy does: its .if version_atleast() branch, its variables in the programs' environment", async () => {
    ensureBuilt();
    const cfg = join(tmp.dir, 'versioned.cfg');
    const [newer, older] = bin.branch === '2.6' ? [3961, 3962] : [3963, 3964];
    writeFileSync(
      cfg,
      [
        ...httpFrontendLines(await freePort()),
        '    http-request return status 200',
        '.if defined(HPM_RUN)',
        '.if version_atleast(3.0)',
        'program picked',
        `    command sleep ${newer}`,
        '.else',
        'program picked',
        `    command sleep ${older}`,
        '.endif',
        '.endif',
        '',
      ].join('\n'),
    );
    const haproxySock = join(tmp.dir, 'versioned-haproxy.sock');
    const haproxy = start(bin.path, ['-W', '-db', '-S', haproxySock, '-f', cfg], { tag });
    started.push(haproxy);
    await waitFor('HAProxy', async () => (await cliRequest(haproxySock, '@1 show version\n', 2000)).startsWith(bin.version) || undefined, 30_000);
    const hpm = startHpmRun(['--haproxy-socket', haproxySock, cfg], { tag });
    started.push(hpm);
    const atLeast30 = Number(bin.branch.split('.')[0]) >= 3;
    const pid = await waitFor('the program of the branch HAProxy takes', () => running(tag, `sleep ${atLeast30 ? newer : older}`)[0], 30_000);
    expect(running(tag, `sleep ${atLeast30 ? older : newer}`)).toEqual([]);
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    expect(environ).toContain(`HAPROXY_STARTUP_VERSION=${bin.version}`);
    // HAPROXY_BRANCH exists from 2.8 on (checked against each binary's own reading in haproxy-once.test.ts).
    if (atLeast30) expect(environ).toContain(`HAPROXY_BRANCH=${bin.branch}`);
    else expect(environ.some((kv) => kv.startsWith('HAPROXY_BRANCH='))).toBe(false);
    hpm.signal('SIGTERM');
    expect(await exitOf(hpm.child)).toEqual({ code: 0, signal: null });
  }, 90_000);
});
