/**
 * The supervisor's state machine with a fake launcher and a fake clock: restart backoff and the
 * start limit, exit-on-failure, stop escalation, reload planning, exit codes. No process runs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { fileAccounts } from '../../src/model/index.js';
import { RestartTracker } from '../../src/run/restart-policy.js';
import { Supervisor, type SupervisorOptions } from '../../src/run/supervisor.js';
import { FakeClock, FakeLauncher, flush, memoryLogger } from './fakes.js';
import { tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let n = 0;

function setup(body: string, options: Partial<SupervisorOptions> = {}) {
  const path = tmp.write(`c${n++}.cfg`, `global\n    master-worker\n${body}`);
  const clock = new FakeClock();
  const launcher = new FakeLauncher();
  const { logger, lines } = memoryLogger();
  const accounts = fileAccounts({ users: ['nobody'], groups: ['nogroup'] });
  const sup = new Supervisor({ configPaths: [path], env: { PATH: '/usr/bin:/bin' }, logger, clock, launcher, accounts, ...options });
  const rewrite = (text: string) => tmp.write(path.slice(tmp.dir.length + 1), `global\n    master-worker\n${text}`);
  return { sup, clock, launcher, lines, rewrite };
}

const pidOf = (launcher: FakeLauncher, word: string) => launcher.processes.filter((p) => p.alive && p.spec.argv.includes(word)).map((p) => p.pid)[0]!;

describe('RestartTracker (fake time)', () => {
  it('backs off 1 s, 2 s, 4 s, 8 s, then gives up at the 5th start within 60 s', () => {
    const t = new RestartTracker();
    let now = 0;
    const delays: (number | string)[] = [];
    for (let i = 0; i < 6; i++) {
      t.recordStart(now);
      const d = t.decide('on-failure', 1, now + 10);
      if (d.action !== 'restart') {
        delays.push(d.action);
        break;
      }
      delays.push(d.delayMs);
      now += 10 + d.delayMs;
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 'fatal']);
  });
  it('resets the backoff after a run of 60 s and caps it at 60 s', () => {
    const t = new RestartTracker();
    t.recordStart(0);
    expect(t.decide('always', 0, 100)).toEqual({ action: 'restart', delayMs: 1000 });
    t.recordStart(1100);
    expect(t.decide('always', 0, 1200)).toEqual({ action: 'restart', delayMs: 2000 });
    t.recordStart(3200);
    expect(t.decide('always', 0, 3200 + 60_000)).toEqual({ action: 'restart', delayMs: 1000 });
  });
  it('never restarts with `never`, nor a clean exit with `on-failure`', () => {
    const t = new RestartTracker();
    t.recordStart(0);
    expect(t.decide('never', 1, 5)).toEqual({ action: 'stay-down' });
    expect(t.decide('on-failure', 0, 5)).toEqual({ action: 'stay-down' });
  });
});

describe('Supervisor state machine (fake launcher, fake clock)', () => {
  it('restart on-failure: backoff states, then FATAL after the start limit, logged, left down', async () => {
    const { sup, clock, launcher, lines } = setup('program flaky\n    command flaky\n.if defined(HPM_RUN)\n    restart on-failure\n.endif\nprogram steady\n    command sleep 1000\n');
    await sup.start();
    for (let i = 0; i < 4; i++) {
      launcher.exit(pidOf(launcher, 'flaky'), 1);
      expect(sup.programStates()[0]).toEqual({ name: 'flaky', state: 'backoff' });
      clock.advance(1000 << i); // exactly the backoff delay: 1 s, 2 s, 4 s, 8 s
      await flush();
      expect(sup.programStates()[0]!.state).toBe('running');
    }
    launcher.exit(pidOf(launcher, 'flaky'), 1);
    expect(sup.programStates()[0]).toEqual({ name: 'flaky', state: 'fatal' });
    expect(lines).toContain("[ALERT]    (1) : Program 'flaky' started 5 times within 60s and exited each time: giving up (FATAL)");
    expect(lines.filter((l) => l.includes("will be restarted in"))).toEqual([1, 2, 4, 8].map((s) => `[NOTICE]   (1) : Program 'flaky' will be restarted in ${s}s (restart on-failure)`));
    expect(launcher.live().map((p) => p.spec.argv[0])).toEqual(['sleep']); // the other program is untouched
    clock.advance(600_000);
    expect(launcher.processes.filter((p) => p.spec.argv[0] === 'flaky')).toHaveLength(5);
    void sup.stop('SIGTERM');
    launcher.exit(pidOf(launcher, '1000'), 143);
    expect(await sup.done).toBe(1);
  });

  it('FATAL with --exit-on-failure stops everything', async () => {
    const { sup, clock, launcher, lines } = setup('program flaky\n    command flaky\n.if defined(HPM_RUN)\n    restart always\n.endif\nprogram steady\n    command sleep 1000\n', { exitOnFailure: true });
    await sup.start();
    for (let i = 0; i < 4; i++) {
      launcher.exit(pidOf(launcher, 'flaky'), 0);
      clock.advance(1000 << i);
      await flush();
    }
    launcher.exit(pidOf(launcher, 'flaky'), 0);
    expect(lines).toContain('[ALERT]    (1) : exit-on-failure: killing every processes with SIGTERM');
    const steady = launcher.live()[0]!;
    expect(steady.signals).toEqual(['SIGTERM', 'SIGCONT']);
    launcher.exit(steady.pid, 143);
    expect(await sup.done).toBe(0);
  });

  it('stop: signal + SIGCONT to the group, SIGKILL after the stop timeout; per-program stop-signal and stop-timeout', async () => {
    const { sup, clock, launcher, lines } = setup(
      'program a\n    command sleep 1000\nprogram b\n    command sleep 2000\n.if defined(HPM_RUN)\n    stop-signal QUIT\n    stop-timeout 30s\n.endif\n',
    );
    await sup.start();
    const [a, b] = launcher.live();
    void sup.stop('SIGTERM');
    expect(a!.signals).toEqual(['SIGTERM', 'SIGCONT']);
    expect(b!.signals).toEqual(['SIGQUIT', 'SIGCONT']);
    clock.advance(10_000);
    expect(a!.signals).toEqual(['SIGTERM', 'SIGCONT', 'SIGKILL']);
    expect(b!.signals).toEqual(['SIGQUIT', 'SIGCONT']);
    clock.advance(20_000);
    expect(b!.signals).toEqual(['SIGQUIT', 'SIGCONT', 'SIGKILL']);
    launcher.exit(a!.pid, 0, 9);
    launcher.exit(b!.pid, 0, 9);
    expect(await sup.done).toBe(137);
    expect(lines[lines.length - 1]).toBe('[WARNING]  (1) : All workers exited. Exiting... (137)');
  });

  it('a stop that arrives while the forks are on their way reaches every program once forked, with the timeout armed', async () => {
    const { sup, clock, launcher } = setup('program a\n    command sleep 1000\nprogram b\n    command sleep 2000\n');
    launcher.holdForks = true;
    const started = sup.start();
    while (launcher.processes.length < 2) await flush();
    void sup.stop('SIGTERM'); // the forks are asked for, none confirmed yet
    launcher.releaseForks();
    await started;
    for (const p of launcher.processes) expect(p.signals).toEqual(['SIGTERM', 'SIGCONT']);
    clock.advance(10_000);
    for (const p of launcher.processes) expect(p.signals).toEqual(['SIGTERM', 'SIGCONT', 'SIGKILL']);
    for (const p of launcher.live()) launcher.exit(p.pid, 0, 9);
    expect(await sup.done).toBe(137);
  });

  it('--stop-timeout 0 waits forever, as HAProxy does', async () => {
    const { sup, clock, launcher } = setup('program a\n    command sleep 1000\n', { stopTimeoutMs: 0 });
    await sup.start();
    void sup.stop('SIGTERM');
    clock.advance(3_600_000);
    expect(launcher.live()[0]!.signals).toEqual(['SIGTERM', 'SIGCONT']);
    launcher.exit(launcher.live()[0]!.pid, 143);
    expect(await sup.done).toBe(0);
  });

  it('reload: old instances get SIGUSR1 (hard: SIGTERM), added start, removed are stopped, kept ones untouched, rows and counters', async () => {
    const { sup, launcher, lines, rewrite } = setup('program a\n    command sleep 1\nprogram b\n    command sleep 2\nprogram k\n    command sleep 3\n    no option start-on-reload\n');
    await sup.start();
    const [a, b, k] = launcher.live();
    rewrite('program a\n    command sleep 11\nprogram c\n    command sleep 4\nprogram k\n    command sleep 33\n    no option start-on-reload\n');
    const result = await sup.reload();
    expect(result.success).toBe(true);
    expect(a!.signals).toEqual(['SIGUSR1']);
    expect(b!.signals).toEqual(['SIGUSR1']);
    expect(k!.signals).toEqual([]);
    expect(result.log).toEqual([
      '[NOTICE]   (1) : Reloading HAProxy',
      "[WARNING]  (1) : Program 'k' changed but has 'no option start-on-reload': the running instance is kept; the new settings apply from its next start",
      `[NOTICE]   (1) : New program 'a' (${a!.pid + 3}) forked`,
      `[NOTICE]   (1) : New program 'c' (${a!.pid + 4}) forked`,
      '[NOTICE]   (1) : Loading success.',
    ]);
    expect(sup.processes().map((r) => [r.name, r.kind, r.reloads])).toEqual([
      ['a', 'current', 0],
      ['c', 'current', 0],
      ['k', 'current', 1],
      ['a', 'old', 1],
      ['b', 'old', 1],
    ]);
    expect(sup.reloads).toBe(1);
    // A hard reload: SIGTERM to the current a and c, and again to the old ones still alive.
    const hard = await sup.reload({ hard: true });
    expect(hard.log[0]).toBe('[NOTICE]   (1) : Reloading HAProxy (hard-reload)');
    expect(a!.signals).toEqual(['SIGUSR1', 'SIGTERM']);
    launcher.exit(a!.pid, 138);
    expect(lines).toContain(`[WARNING]  (1) : Former program 'a' (${a!.pid}) exited with code 138 (User defined signal 1)`);
    void sup.stop('SIGTERM');
    for (const p of launcher.live()) launcher.exit(p.pid, 143);
    expect(await sup.done).toBe(0);
  });

  it('no option start-on-reload: kept and current at every reload; SIGUSR1 only to a process that catches or ignores it (reload-signal auto)', async () => {
    const guarded = (name: string, word: string, extra = '') => `program ${name}\n    command sleep ${word}\n    no option start-on-reload\n${extra}`;
    const ext = (line: string) => `.if defined(HPM_RUN)\n    ${line}\n.endif\n`;
    const body = [guarded('catches', 'c'), guarded('ignores', 'i'), guarded('dies', 'd'), guarded('never', 'n', ext('reload-signal none')), guarded('hup', 'h', ext('reload-signal HUP'))].join('');
    const { sup, launcher, lines } = setup(body);
    await sup.start();
    const [catches, ignores, dies, never, hup] = launcher.live();
    launcher.dispositions.set(catches!.pid, 'caught');
    launcher.dispositions.set(ignores!.pid, 'ignored');
    launcher.dispositions.set(dies!.pid, 'default');
    launcher.dispositions.set(never!.pid, 'caught');
    for (let i = 0; i < 2; i++) expect((await sup.reload()).success).toBe(true);
    expect([catches, ignores, dies, never, hup].map((p) => p!.signals)).toEqual([
      ['pid:SIGUSR1', 'pid:SIGUSR1'],
      ['pid:SIGUSR1', 'pid:SIGUSR1'],
      [],
      [],
      ['SIGHUP', 'SIGHUP'],
    ]);
    expect(launcher.processes).toHaveLength(5); // nothing restarted
    expect(sup.processes().map((r) => [r.name, r.kind, r.reloads])).toEqual([
      ['catches', 'current', 2],
      ['ignores', 'current', 2],
      ['dies', 'current', 2],
      ['never', 'current', 2],
      ['hup', 'current', 2],
    ]);
    // A reload signal that kills anyway: logged as a current program's exit.
    launcher.exit(hup!.pid, 129);
    expect(lines).toContain(`[ALERT]    (1) : Current program 'hup' (${hup!.pid}) exited with code 129 (Hangup)`);
    void sup.stop();
    for (const p of launcher.live()) launcher.exit(p.pid, 143);
    expect(await sup.done).toBe(129);
  });

  it('adopted daemons: SIGTERM, SIGKILL after the stop timeout, each named; exits reported with the listing are not missed', async () => {
    const { sup, launcher, clock, lines } = setup('program a\n    command sleep 1\n', { stopTimeoutMs: 2000 });
    await sup.start();
    launcher.adopted = [
      { pid: 7001, name: 'polite', dieOf: ['SIGTERM'] },
      { pid: 7002, name: 'stubborn', dieOf: [] },
    ];
    void sup.stop();
    launcher.exit(launcher.live()[0]!.pid, 143);
    await flush();
    clock.advance(100); // the settle before the daemons count as such
    await flush();
    expect(launcher.adoptedSignals).toEqual([0, 'SIGTERM']);
    expect(lines).toContain("[WARNING]  (1) : Adopted process 'polite' (7001), left behind by a program: stopping it with SIGTERM");
    expect(lines).toContain("[WARNING]  (1) : Adopted process 'polite' (7001) exited with code 143 (Terminated)");
    clock.advance(2000);
    await flush();
    expect(lines).toContain("[WARNING]  (1) : Adopted process 'stubborn' (7002) still running 2s after SIGTERM: killing it with SIGKILL");
    expect(lines).toContain("[WARNING]  (1) : Adopted process 'stubborn' (7002) exited with code 137 (Killed)");
    expect(await sup.done).toBe(0);
    expect(launcher.adoptedSignals).toEqual([0, 'SIGTERM', 'SIGKILL', 0]);
  });

  it('a broken reload keeps everything, counts [failed: N], and a good one resets it', async () => {
    const { sup, launcher, rewrite } = setup('program a\n    command sleep 1\n');
    await sup.start();
    rewrite('program a\n    command sleep 1\n    bogus\n');
    const bad = await sup.reload();
    expect(bad.success).toBe(false);
    expect(bad.log.slice(-2)).toEqual(['[ALERT]    (1) : config : Fatal errors found in configuration.', '[WARNING]  (1) : Loading failure!']);
    await sup.reload();
    expect(sup.failedReloads).toBe(2);
    expect(launcher.live()).toHaveLength(1);
    expect(launcher.live()[0]!.signals).toEqual([]);
    expect(sup.processes()[0]!.reloads).toBe(2);
    rewrite('program a\n    command sleep 1\n');
    expect((await sup.reload()).success).toBe(true);
    expect(sup.failedReloads).toBe(0);
    void sup.stop('SIGINT');
    for (const p of launcher.live()) launcher.exit(p.pid, 130);
    expect(await sup.done).toBe(130);
  });

  it('a reload that throws on the way is a failed reload: logged, counted, programs kept, the next one works', async () => {
    let throwOnce = true;
    const applyExternal = async () => {
      if (!throwOnce) return undefined;
      throwOnce = false;
      throw new Error('kill ESRCH');
    };
    const { sup, launcher, rewrite } = setup('program a\n    command sleep 1\n', { applyExternal });
    await sup.start();
    rewrite('program a\n    command sleep 2\n');
    const bad = await sup.reload();
    expect(bad.success).toBe(false);
    expect(bad.log.slice(-2)).toEqual(['[ALERT]    (1) : Reload failed: kill ESRCH', '[WARNING]  (1) : Loading failure!']);
    expect(sup.failedReloads).toBe(1);
    expect(launcher.live().map((p) => [p.spec.argv.at(-1), p.signals])).toEqual([['1', []]]);
    const badLog = [...bad.log];
    const good = await sup.reload();
    expect(good.success).toBe(true);
    expect(good.log.at(-1)).toBe('[NOTICE]   (1) : Loading success.');
    expect(bad.log).toEqual(badLog); // the failed reload's capture ended with it
    expect(sup.failedReloads).toBe(0);
    expect(launcher.live().map((p) => [p.spec.argv.at(-1), p.signals])).toEqual([['1', ['SIGUSR1']], ['2', []]]);
    void sup.stop('SIGINT');
    for (const p of launcher.live()) launcher.exit(p.pid, 130);
    expect(await sup.done).toBe(130);
  });

  it('an exited program comes back at the next reload (start-on-reload), not before', async () => {
    const { sup, launcher, clock } = setup('program once\n    command true\nprogram steady\n    command sleep 5\n');
    await sup.start();
    launcher.exit(pidOf(launcher, 'true') ?? launcher.processes[0]!.pid, 0);
    clock.advance(3_600_000);
    expect(launcher.processes).toHaveLength(2);
    await sup.reload();
    expect(launcher.processes.filter((p) => p.spec.argv[0] === 'true')).toHaveLength(2);
    void sup.stop();
    for (const p of launcher.live()) launcher.exit(p.pid, 143);
    await sup.done;
  });

  it('exits (All workers exited) when nothing is left, unless keepAlive', async () => {
    const a = setup('program once\n    command true\n');
    await a.sup.start();
    a.launcher.exit(a.launcher.processes[0]!.pid, 0);
    expect(await a.sup.done).toBe(0);
    expect(a.launcher.closed).toBe(true);
    const b = setup('program once\n    command true\n', { keepAlive: true });
    await b.sup.start();
    b.launcher.exit(b.launcher.processes[0]!.pid, 0);
    await flush();
    expect(b.launcher.closed).toBe(false);
    expect(await b.sup.stop()).toBe(0);
  });

  it('programs get the global environment lines and the HAPROXY_* variables', async () => {
    const { sup, launcher } = setup('', {});
    void sup;
    const path = tmp.write('env.cfg', 'global\n    master-worker\n    setenv A 1\n    presetenv PATH /nope\n    unsetenv DROP\nprogram p\n    command env\n');
    const s2 = new Supervisor({ configPaths: [path], env: { PATH: '/usr/bin', DROP: 'x', KEEP: 'y' }, logger: memoryLogger().logger, clock: new FakeClock(), launcher, masterCli: 'unix@/run/x.sock', configLoader: 'in-process' });
    await s2.start();
    expect(launcher.processes[0]!.spec.env).toEqual({ PATH: '/usr/bin', KEEP: 'y', A: '1', HAPROXY_MWORKER: '1', HAPROXY_CFGFILES: path, HAPROXY_MASTER_CLI: 'unix@/run/x.sock' });
    void s2.stop();
    launcher.exit(launcher.processes[0]!.pid, 143);
    await s2.done;
  });

  it('a SIGTERM while the configuration is still being read: nothing starts, exit 0', async () => {
    const { sup, launcher, lines } = setup('program a\n    command sleep 1000\n');
    const started = sup.start();
    void sup.stop('SIGTERM');
    expect(await started).toBe(false);
    expect(await sup.done).toBe(0);
    expect(launcher.processes).toHaveLength(0);
    expect(lines).toEqual(['[WARNING]  (1) : Exiting Master process...', '[WARNING]  (1) : All workers exited. Exiting... (0)']);
  });

  it('refuses an invalid config at start: exit code 1, HAProxy-style lines, nothing spawned', async () => {
    const { sup, launcher, lines } = setup('program a\n    user nosuchuser\n');
    expect(await sup.start()).toBe(false);
    expect(await sup.done).toBe(1);
    expect(launcher.processes).toHaveLength(0);
    expect(lines).toContain("[ALERT]    (1) : config : The program section 'a' lacks a command to launch.");
    expect(lines.some((l) => l.includes("cannot find user id for 'nosuchuser'"))).toBe(true);
  });
});

describe('after and reload-order (fake launcher, fake clock)', () => {
  const chain =
    'program c\n    command sleep 3\n.if defined(HPM_RUN)\n    after b\n    restart on-failure\n.endif\n' +
    'program b\n    command sleep 2\n.if defined(HPM_RUN)\n    after a\n.endif\n' +
    'program a\n    command sleep 1\nprogram free\n    command sleep 4\n';

  it('starts a chain in dependency order (file order among equals) and stops it in reverse, one step per exit', async () => {
    const { sup, launcher } = setup(chain);
    await sup.start();
    await flush();
    expect(launcher.processes.map((p) => p.spec.argv[1])).toEqual(['1', '4', '2', '3']);
    void sup.stop('SIGTERM');
    const signalled = () => launcher.live().filter((p) => p.signals.length > 0).map((p) => p.spec.argv[1]);
    expect(signalled().sort()).toEqual(['3', '4']); // c (nothing after it) and free
    launcher.exit(pidOf(launcher, '3'), 143);
    expect(signalled().sort()).toEqual(['2', '4']);
    launcher.exit(pidOf(launcher, '2'), 143);
    expect(signalled().sort()).toEqual(['1', '4']);
    launcher.exit(pidOf(launcher, '1'), 143);
    launcher.exit(pidOf(launcher, '4'), 143);
    expect(await sup.done).toBe(0);
  });

  it('a restarted program waits for its dependency again; a reload keeps the order', async () => {
    const { sup, clock, launcher, lines } = setup(chain);
    await sup.start();
    await flush();
    launcher.holdForks = true;
    const reload = sup.reload();
    await flush();
    await flush();
    // The new a is forking: b and c wait (b for a, c for b).
    expect(launcher.processes.slice(4).map((p) => p.spec.argv[1])).toEqual(['1', '4']);
    expect(sup.programStates()).toEqual([
      { name: 'c', state: 'starting' },
      { name: 'b', state: 'starting' },
      { name: 'a', state: 'starting' },
      { name: 'free', state: 'starting' },
    ]);
    launcher.releaseForks();
    await reload;
    await flush();
    expect(launcher.processes.slice(4).map((p) => p.spec.argv[1])).toEqual(['1', '4', '2', '3']);
    // The current c exits: restarted after its backoff, at once since b runs.
    launcher.exit(launcher.live().filter((p) => p.spec.argv[1] === '3').at(-1)!.pid, 1);
    expect(sup.programStates()[0]).toEqual({ name: 'c', state: 'backoff' });
    clock.advance(1000);
    await flush();
    expect(sup.programStates()[0]).toEqual({ name: 'c', state: 'running' });
    expect(lines.filter((l) => l.includes('waits for'))).toContain("[NOTICE]   (1) : Program 'c' waits for 'b' to be ready (after)");
    void sup.stop('SIGTERM');
    for (let i = 0; i < 4 && launcher.live().length > 0; i++) for (const p of launcher.live()) if (p.signals.length > 0) launcher.exit(p.pid, 143);
    expect(await sup.done).toBe(1); // c's exit code 1 (§3.4: the first current code other than 0 and 143)
  });

  it('reload-order stop-first: the stop signal, and the new instance only once the former one exited', async () => {
    const { sup, launcher, lines } = setup('program web\n    command sleep 5\n.if defined(HPM_RUN)\n    reload-order stop-first\n    stop-signal INT\n.endif\n');
    await sup.start();
    const first = launcher.live()[0]!;
    await sup.reload();
    expect(first.signals).toEqual(['SIGINT', 'SIGCONT']); // not SIGUSR1
    expect(launcher.processes).toHaveLength(1);
    expect(sup.programStates()).toEqual([{ name: 'web', state: 'exited' }]);
    launcher.exit(first.pid, 130);
    await flush();
    expect(launcher.processes).toHaveLength(2);
    expect(lines.findIndex((l) => l.includes(`Former program 'web' (${first.pid}) exited`))).toBeLessThan(lines.findIndex((l) => l.includes("New program 'web' (1001)")));
    void sup.stop('SIGTERM');
    launcher.exit(pidOf(launcher, '5'), 143);
    expect(await sup.done).toBe(0);
  });
});
