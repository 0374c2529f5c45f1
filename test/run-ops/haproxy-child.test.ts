/**
 * `hpm-run --haproxy /usr/sbin/haproxy`: HAProxy serves HTTP from the configuration (without
 * its program sections), the programs run beside it, a reload changes both, SIGTERM stops
 * everything, and HAProxy's death (SIGKILL) stops the programs.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { haproxyAvailable, skipReason } from '../helpers/env.js';
import { ensureBuilt, leftovers, newTag, running, startHpmRun, stopRun, waitNoLeftovers, type Started } from '../run/helpers.js';
import { cliRequest, exitOf, freePort, httpFrontendLines, httpGet, tempDir, waitFor } from './helpers.js';

const skip = skipReason('the --haproxy tests', haproxyAvailable, 'haproxy is not installed');
const FIXTURE = resolve(import.meta.dirname, '../../fixtures/ops/haproxy-with-programs.cfg');

/** The fixture with a given response text and a given command for `worker-sleep`. */
function configVersion(text: string, sleepSeconds: number): string {
  const fixture = readFileSync(FIXTURE, 'utf8');
  const changed = fixture.replace('"hello from haproxy"', `"${text}"`).replace('command sleep 3600', `command sleep ${sleepSeconds}`);
  expect(changed).not.toBe(fixture);
  return changed;
}

/** The pid of HAProxy's master: the master row of show proc (HAProxy's own rows, with the programs). */
async function haproxyPid(sock: string): Promise<number> {
  const reply = await cliRequest(sock, 'show proc\n');
  const match = /^(\d+) +master +\d+ \[failed: \d+\] +\S+ +2\.\d/m.exec(reply);
  if (!match) throw new Error(`no master row in:\n${reply}`);
  return Number(match[1]);
}

describe.skipIf(skip)('hpm-run --haproxy', () => {
  const tag = newTag();
  const tmp = tempDir('haproxy');
  let run: Started | undefined;

  afterEach(() => stopRun(run, tag));
  afterAll(() => tmp.cleanup());

  it('serves HTTP through HAProxy, runs the programs, reloads both, and stops everything on SIGTERM', async () => {
    ensureBuilt();
    const port = await freePort();
    const cfg = join(tmp.dir, 'haproxy.cfg');
    const sock = join(tmp.dir, 'hpm.sock');
    writeFileSync(cfg, configVersion('first answer', 3601));
    run = startHpmRun(['--haproxy', '/usr/sbin/haproxy', '-S', sock, cfg], { tag, env: { HPM_DEMO_PORT: String(port) } });

    expect(await waitFor('HAProxy to answer', () => httpGet(port))).toBe('first answer');
    await waitFor('the programs to run', () => running(tag, 'sleep 3601').length === 1 || undefined);
    expect(leftovers(tag).some((p) => p.cmdline.startsWith('sh -c while :; do date; sleep 60; done'))).toBe(true);
    const master = await haproxyPid(sock);
    // `@1` commands reach HAProxy's worker through its own master CLI, as the Data Plane API expects.
    const info = await cliRequest(sock, '@1 show info\n');
    expect(info).toMatch(/^Name: HAProxy$/m);
    expect(info).toMatch(/^Version: 2\./m);
    expect(await cliRequest(sock, '@!1 show info\n')).toMatch(/^Can't find the target PID matching the prefix '@!1'$/m);
    // HAProxy got the copy: it never started the programs itself (none is its child).
    expect(leftovers(tag).filter((p) => p.cmdline === 'sleep 3601')).toHaveLength(1);

    writeFileSync(cfg, configVersion('second answer', 3602));
    run.signal('SIGHUP');
    expect(await waitFor('HAProxy to serve the new config', async () => ((await httpGet(port)) === 'second answer' ? 'second answer' : undefined))).toBe('second answer');
    await waitFor('the new command to run and the old one to stop', () => (running(tag, 'sleep 3602').length === 1 && running(tag, 'sleep 3601').length === 0) || undefined);
    expect(await haproxyPid(sock)).toBe(master); // reloaded in place (SIGUSR2), not restarted

    run.signal('SIGTERM');
    expect(await exitOf(run.child)).toEqual({ code: 0, signal: null });
    expect(await waitNoLeftovers(tag)).toEqual([]);
    expect(await httpGet(port)).toBeUndefined();
    expect(run.stderr()).toMatch(/Current worker \(\d+\) exited with code (0|143)/);
  });

  it('refuses a reload HAProxy rejects and keeps serving the old configuration', async () => {
    ensureBuilt();
    const port = await freePort();
    const cfg = join(tmp.dir, 'reject.cfg');
    const sock = join(tmp.dir, 'reject.sock');
    writeFileSync(cfg, configVersion('still here', 3603));
    run = startHpmRun(['--haproxy', '/usr/sbin/haproxy', '-S', sock, cfg], { tag, env: { HPM_DEMO_PORT: String(port) } });
    expect(await waitFor('HAProxy to answer', () => httpGet(port))).toBe('still here');
    // Valid for hpm-run (it does not check frontends), invalid for HAProxy.
    writeFileSync(cfg, configVersion('never served', 3604).replace('http-request return', 'http-request no-such-action return'));
    const reply = await cliRequest(sock, 'reload\n');
    expect(reply.split('\n').slice(0, 2)).toEqual(['Success=0', '--']);
    expect(reply).toMatch(/no-such-action/);
    expect(reply).toMatch(/Loading failure!/);
    expect(await httpGet(port)).toBe('still here');
    expect(running(tag, 'sleep 3603')).toHaveLength(1);
    expect(running(tag, 'sleep 3604')).toHaveLength(0);
  });

  it('survives a reload that fails on the way (its copy directory gone), and the next reload works', async () => {
    ensureBuilt();
    const port = await freePort();
    const cfg = join(tmp.dir, 'vanish.cfg');
    const sock = join(tmp.dir, 'vanish.sock');
    const copies = join(tmp.dir, 'vanish-tmp');
    mkdirSync(copies);
    writeFileSync(cfg, configVersion('before', 3611));
    run = startHpmRun(['--haproxy', '/usr/sbin/haproxy', '-S', sock, cfg], { tag, env: { HPM_DEMO_PORT: String(port), TMPDIR: copies } });
    expect(await waitFor('HAProxy to answer', () => httpGet(port))).toBe('before');
    // HAProxy 2.6's master re-executes itself in wait mode once its worker is up, and binds its
    // CLI socket in that directory again: let it finish before the directory goes away.
    const master = await haproxyPid(sock);
    await waitFor('HAProxy master in wait mode, answering', async () =>
      readFileSync(`/proc/${master}/environ`, 'latin1').includes('HAPROXY_MWORKER_WAIT_ONLY=1') && (await haproxyPid(sock)) === master ? true : undefined,
    );
    const [copyDir] = readdirSync(copies).filter((name) => name.startsWith('hpm-run-haproxy-'));
    expect(copyDir).toBeDefined();
    writeFileSync(cfg, configVersion('after', 3612));
    // hpm-run cannot write HAProxy's copy: the reload fails, hpm-run and everything it runs stay.
    renameSync(join(copies, copyDir!), join(copies, 'away'));
    const failed = await cliRequest(sock, 'reload\n');
    renameSync(join(copies, 'away'), join(copies, copyDir!));
    expect(failed.split('\n').slice(0, 2)).toEqual(['Success=0', '--']);
    expect(failed).toMatch(/\[ALERT\] +\(\d+\) : Reload failed: .*ENOENT/);
    expect(failed).toMatch(/Loading failure!/);
    expect(run.child.exitCode).toBeNull();
    expect(await cliRequest(sock, 'show proc\n')).toMatch(/ master +\d+ \[failed: 1\] /);
    expect(await httpGet(port)).toBe('before');
    expect(running(tag, 'sleep 3611')).toHaveLength(1);
    const good = await cliRequest(sock, 'reload\n');
    expect(good.split('\n')[0]).toBe('Success=1');
    expect(await waitFor('HAProxy to serve the new config', async () => ((await httpGet(port)) === 'after' ? 'after' : undefined))).toBe('after');
    await waitFor('the new command to run and the old one to stop', () => (running(tag, 'sleep 3612').length === 1 && running(tag, 'sleep 3611').length === 0) || undefined);
  });

  it('stops the programs when HAProxy is killed, with its exit code', async () => {
    ensureBuilt();
    const port = await freePort();
    const cfg = join(tmp.dir, 'kill.cfg');
    const sock = join(tmp.dir, 'kill.sock');
    writeFileSync(cfg, configVersion('doomed', 3605));
    run = startHpmRun(['--haproxy', '/usr/sbin/haproxy', '-S', sock, cfg], { tag, env: { HPM_DEMO_PORT: String(port) } });
    expect(await waitFor('HAProxy to answer', () => httpGet(port))).toBe('doomed');
    await waitFor('the programs to run', () => running(tag, 'sleep 3605').length === 1 || undefined);

    process.kill(await haproxyPid(sock), 'SIGKILL');
    expect(await exitOf(run.child)).toEqual({ code: 137, signal: null });
    expect(run.stderr()).toMatch(/Current worker \(\d+\) exited with code 137 \(Killed\)\n.*exit-on-failure: killing every processes with SIGTERM/);
    expect(await waitNoLeftovers(tag)).toEqual([]); // programs and HAProxy's own worker
  });

  it('reports why a program cannot start after HAProxy has started too (each restart: Cannot execute, then its exit)', async () => {
    ensureBuilt();
    const port = await freePort();
    const cfg = join(tmp.dir, 'failing.cfg');
    writeFileSync(
      cfg,
      [...httpFrontendLines(port), '    http-request return status 200', '.if defined(HPM_RUN)', 'program bad', '    command /nonexistent/bad-cmd', '    restart always', '.endif', ''].join('\n'),
    );
    run = startHpmRun(['--haproxy', '/usr/sbin/haproxy', cfg], { tag });
    // The first start comes before HAProxy's fork, the restart (1 s later) after it.
    const exits = () => run!.lines().filter((line) => /Current program 'bad' \(\d+\) exited with code 1/.test(line));
    await waitFor('two exits of the failing program', () => exits().length >= 2 || undefined);
    expect(await httpGet(port)).toBe('');
    const lines = run.lines();
    for (const exit of exits().slice(0, 2)) {
      const pid = /\((\d+)\) exited/.exec(exit)![1];
      const failure = lines.indexOf(`[ALERT]    (${pid}) : Cannot execute /nonexistent/bad-cmd: No such file or directory`);
      expect(failure, `the failure of ${pid}`).toBeGreaterThan(-1);
      expect(failure).toBeLessThan(lines.indexOf(exit));
    }
  });

  it('with --exit-on-failure, a failing program stops HAProxy too', async () => {
    ensureBuilt();
    const port = await freePort();
    const cfg = join(tmp.dir, 'eof.cfg');
    writeFileSync(cfg, configVersion('short-lived', 3606) + 'program failing\n    command sh -c "sleep 1; exit 3"\n');
    run = startHpmRun(['--haproxy', '/usr/sbin/haproxy', '--exit-on-failure', cfg], { tag, env: { HPM_DEMO_PORT: String(port) } });
    expect(await waitFor('HAProxy to answer', () => httpGet(port))).toBe('short-lived');
    expect(await exitOf(run.child)).toEqual({ code: 3, signal: null });
    expect(run.stderr()).toMatch(/Current program 'failing' \(\d+\) exited with code 3 \(Exit\)\n.*exit-on-failure: killing every processes with SIGTERM/);
    expect(run.stderr()).toMatch(/Current worker \(\d+\) exited with code 0 \(Exit\)\n(.*\n)*.*All workers exited\. Exiting\.\.\. \(3\)/);
    expect(await waitNoLeftovers(tag)).toEqual([]);
    expect(await httpGet(port)).toBeUndefined();
  });
});
