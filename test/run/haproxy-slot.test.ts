/**
 * HAProxy's slot (`hpm-run --haproxy`, core/haproxy-slot.ts) in the supervisor, with a fake
 * launcher, a fake clock and a fake HAProxy kind: its start after the programs, its readiness
 * (the programs `after haproxy` wait for it, READY=1 too), its reload before the programs, its
 * stop after the programs that depend on it (SIGKILL after the stop timeout), and its exit.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { fileAccounts } from '../../src/model/index.js';
import { HaproxySlot, type HaproxyKind } from '../../src/run/core/haproxy-slot.js';
import { IllegalTransition } from '../../src/run/core/state-machine.js';
import type { SpawnSpec } from '../../src/run/launcher.js';
import type { ExitStatus } from '../../src/run/status.js';
import { Supervisor, type SupervisorOptions } from '../../src/run/supervisor.js';
import { FakeClock, FakeLauncher, flush, memoryLogger } from './fakes.js';
import { tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
let n = 0;

/** A fake HAProxy: `answer()` makes its master CLI answer; reloads and copies are recorded. */
class FakeHaproxy implements HaproxyKind {
  events: string[] = [];
  reloadFailure?: string;
  invalid?: string;
  /** Called when HAProxy is asked to reload (to see what the programs are doing then). */
  onReload?: () => void;
  private answerNow?: () => void;
  validate(): Promise<string | undefined> {
    this.events.push('validate');
    return Promise.resolve(this.invalid);
  }
  spawnSpec(): SpawnSpec {
    this.events.push('spawn');
    return { argv: ['haproxy', '-W', '-db'], env: {} };
  }
  forked(pid: number): void {
    this.events.push(`forked ${pid}`);
  }
  ready(signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      this.answerNow = resolve;
      signal.addEventListener('abort', () => reject(new Error('aborted')));
    });
  }
  answer(): void {
    this.answerNow?.();
  }
  reload(hard: boolean): Promise<string | undefined> {
    this.events.push(hard ? 'reload hard' : 'reload');
    this.onReload?.();
    return Promise.resolve(this.reloadFailure);
  }
  discard(): void {
    this.events.push('discard');
  }
  exited(status: ExitStatus): void {
    this.events.push(`exited ${status.code}`);
  }
}

function setup(body: string, options: Partial<SupervisorOptions> = {}) {
  const path = tmp.write(`h${n++}.cfg`, `global\n    master-worker\n${body}`);
  const clock = new FakeClock();
  const launcher = new FakeLauncher();
  const haproxy = new FakeHaproxy();
  const { logger, lines } = memoryLogger();
  const accounts = fileAccounts({ users: ['nobody'], groups: ['nogroup'] });
  const sup = new Supervisor({ configPaths: [path], env: { PATH: '/usr/bin:/bin' }, logger, clock, launcher, accounts, keepAlive: true, haproxy, ...options });
  const rewrite = (text: string) => tmp.write(path.slice(tmp.dir.length + 1), `global\n    master-worker\n${text}`);
  const haproxyProcess = () => launcher.processes.find((p) => p.spec.argv[0] === 'haproxy')!;
  const program = (word: string) => launcher.processes.find((p) => p.alive && p.spec.argv.includes(word));
  return { sup, clock, launcher, haproxy, lines, rewrite, haproxyProcess, program };
}

const afterHaproxy = 'program api\n    command sleep 1\n.if defined(HPM_RUN)\n    after haproxy\n.endif\nprogram free\n    command sleep 2\n';

describe("HAProxy's slot (fake launcher, fake clock)", () => {
  it('starts after the programs; ready once its master CLI answers, then the programs after haproxy start and READY comes', async () => {
    const { sup, launcher, haproxy, lines, haproxyProcess } = setup(afterHaproxy);
    let ready = false;
    sup.on('ready', () => (ready = true));
    await sup.start();
    await flush();
    expect(haproxy.events).toEqual(['validate', 'spawn', `forked ${haproxyProcess().pid}`]);
    expect(launcher.processes.map((p) => p.spec.argv[0] === 'haproxy' ? 'haproxy' : p.spec.argv[1])).toEqual(['2', 'haproxy']);
    expect(lines).toContain("[NOTICE]   (1) : Program 'api' waits for 'haproxy' to be ready (after)");
    expect(ready).toBe(false); // HAProxy is starting until it answers
    haproxy.answer();
    await flush();
    expect(launcher.processes.map((p) => p.spec.argv[0] === 'haproxy' ? 'haproxy' : p.spec.argv[1])).toEqual(['2', 'haproxy', '1']);
    await flush();
    expect(ready).toBe(true);
    // Not a program: not in the program rows, not in show proc json's program states.
    expect(sup.processes().map((p) => p.name)).toEqual(['api', 'free']);
    expect(sup.programStates().map((p) => p.name)).toEqual(['api', 'free']);
    void sup.stop('SIGTERM');
    for (const p of launcher.live()) launcher.exit(p.pid, 143);
    expect(await sup.done).toBe(0);
  });

  it('stops after the programs that depend on it, with the stop signal to its master, SIGKILL to its group after the stop timeout', async () => {
    const { sup, clock, launcher, haproxy, lines, haproxyProcess, program } = setup(afterHaproxy, { stopTimeoutMs: 5_000 });
    await sup.start();
    await flush();
    haproxy.answer();
    await flush();
    const hap = haproxyProcess();
    void sup.stop('SIGINT');
    expect(program('1')!.signals).toEqual(['SIGINT', 'SIGCONT']);
    expect(program('2')!.signals).toEqual(['SIGINT', 'SIGCONT']);
    expect(hap.signals).toEqual([]); // `api` (after haproxy) is still there
    launcher.exit(program('2')!.pid, 130);
    expect(hap.signals).toEqual([]);
    launcher.exit(program('1')!.pid, 130);
    expect(hap.signals).toEqual(['pid:SIGINT']); // its master only: it stops its own workers
    clock.advance(4_999);
    expect(hap.signals).toEqual(['pid:SIGINT']);
    clock.advance(1);
    expect(hap.signals).toEqual(['pid:SIGINT', 'SIGKILL']);
    launcher.exit(hap.pid, 0, 9);
    expect(await sup.done).toBe(130); // the programs' SIGINT code (HAProxy's 137 comes after it)
    expect(lines).toContain(`[ALERT]    (1) : Current worker (${hap.pid}) exited with code 137 (Killed)`);
    expect(haproxy.events.at(-1)).toBe('exited 137');
    expect(clock.pending()).toBe(0);
  });

  it('a second stop signal reaches it at once, dependents or not', async () => {
    const { sup, launcher, haproxy, haproxyProcess } = setup(afterHaproxy);
    await sup.start();
    await flush();
    haproxy.answer();
    await flush();
    void sup.stop('SIGTERM');
    expect(haproxyProcess().signals).toEqual([]);
    void sup.stop('SIGINT');
    expect(haproxyProcess().signals).toEqual(['pid:SIGINT']);
    for (const p of launcher.live()) launcher.exit(p.pid, 143);
    expect(await sup.done).toBe(0);
  });

  it('its exit stops the programs with its code (exit-on-failure line when not benign), without the option', async () => {
    const { sup, launcher, haproxy, lines, haproxyProcess, program } = setup(afterHaproxy);
    await sup.start();
    await flush();
    haproxy.answer();
    await flush();
    const hap = haproxyProcess();
    launcher.exit(hap.pid, 0, 9);
    expect(lines.slice(-2)).toEqual([`[ALERT]    (1) : Current worker (${hap.pid}) exited with code 137 (Killed)`, '[ALERT]    (1) : exit-on-failure: killing every processes with SIGTERM']);
    expect(hap.signals).toEqual(['SIGKILL']); // its group: a worker may survive its master
    expect(program('1')!.signals).toEqual(['SIGTERM', 'SIGCONT']);
    for (const p of launcher.live()) launcher.exit(p.pid, 143);
    expect(await sup.done).toBe(137);
  });

  it('an exit before it answered: the programs after haproxy never start, READY still comes (nothing is starting)', async () => {
    const { sup, launcher, lines, haproxyProcess } = setup(afterHaproxy);
    let ready = false;
    sup.on('ready', () => (ready = true));
    await sup.start();
    await flush();
    launcher.exit(haproxyProcess().pid, 0);
    expect(lines).toContain('[WARNING]  (1) : Exiting Master process...'); // a benign code: an ordinary stop
    for (const p of launcher.live()) launcher.exit(p.pid, 143);
    expect(await sup.done).toBe(0);
    expect(launcher.processes.some((p) => p.spec.argv[1] === '1')).toBe(false);
    expect(ready).toBe(false); // stopped before: no READY=1
  });

  it('a fork that fails stops everything with code 1', async () => {
    const { sup, launcher, lines } = setup('program free\n    command sleep 2\n');
    const spawn = launcher.spawn.bind(launcher);
    launcher.spawn = (spec, callbacks) => (spec.argv[0] === 'haproxy' ? queueMicrotask(() => callbacks.failed('Resource temporarily unavailable')) : spawn(spec, callbacks));
    await sup.start();
    await flush();
    expect(lines).toContain('[ALERT]    (1) : cannot fork HAProxy: Resource temporarily unavailable');
    for (const p of launcher.live()) launcher.exit(p.pid, 143);
    expect(await sup.done).toBe(1);
  });

  it('a stop while its fork is on its way reaches it once forked, with the kill timer armed', async () => {
    const { sup, clock, launcher, haproxyProcess } = setup('program free\n    command sleep 2\n', { stopTimeoutMs: 1_000 });
    const spawn = launcher.spawn.bind(launcher);
    let stopped: Promise<number> | undefined;
    launcher.spawn = (spec, callbacks) => {
      const isHaproxy = spec.argv[0] === 'haproxy';
      launcher.holdForks = isHaproxy; // its fork is not confirmed yet when the stop comes
      spawn(spec, callbacks);
      if (isHaproxy) stopped = sup.stop('SIGTERM');
    };
    const started = sup.start();
    while (!stopped) await flush(); // the configuration is read, the program forked, HAProxy spawned
    expect(haproxyProcess().signals).toEqual([]);
    launcher.releaseForks();
    await started;
    expect(haproxyProcess().signals).toEqual(['pid:SIGTERM']);
    clock.advance(1_000);
    expect(haproxyProcess().signals).toEqual(['pid:SIGTERM', 'SIGKILL']);
    for (const p of launcher.live()) launcher.exit(p.pid, 143);
    expect(await sup.done).toBe(0);
  });

  it('never starts once hpm-run is stopping', async () => {
    const { sup, launcher } = setup('program free\n    command sleep 2\n');
    sup.on('spawned', () => void sup.stop('SIGTERM'));
    await sup.start();
    await flush();
    expect(launcher.processes.map((p) => p.spec.argv[0])).toEqual(['sleep']);
    for (const p of launcher.live()) launcher.exit(p.pid, 143);
    expect(await sup.done).toBe(0);
  });

  it('reloads before the programs; a failed HAProxy reload keeps the programs and drops the copy', async () => {
    const { sup, launcher, haproxy, rewrite, haproxyProcess } = setup('program a\n    command sleep 1\n');
    await sup.start();
    await flush();
    haproxy.answer();
    rewrite('program a\n    command sleep 3\n');
    haproxy.reloadFailure = 'HAProxy could not reload (Success=0): the programs are left as they were.';
    const failed = await sup.reload();
    expect(failed.success).toBe(false);
    expect(failed.log).toContain('[ALERT]    (1) : HAProxy could not reload (Success=0): the programs are left as they were.');
    expect(haproxy.events.slice(-3)).toEqual(['validate', 'reload', 'discard']);
    expect(launcher.live().map((p) => p.spec.argv[1] ?? p.spec.argv[0])).toEqual(['1', '-W']);
    haproxy.reloadFailure = undefined;
    let programsAtReload: string[] = [];
    haproxy.onReload = () => (programsAtReload = launcher.processes.map((p) => p.spec.argv[1]!));
    const ok = await sup.reload({ hard: true });
    expect(programsAtReload).toEqual(['1', '-W']); // HAProxy first: the new program was not started yet
    expect(launcher.byPid(launcher.processes[0]!.pid).signals).toEqual(['SIGTERM']); // then the old one (hard)
    expect(ok.success).toBe(true);
    expect(haproxy.events.slice(-2)).toEqual(['validate', 'reload hard']);
    expect(launcher.live().map((p) => p.spec.argv[1])).toEqual(['1', '-W', '3']);
    expect(haproxyProcess().signals).toEqual([]); // reloaded in place, never restarted
    void sup.stop('SIGTERM');
    for (const p of launcher.live()) launcher.exit(p.pid, 143);
    expect(await sup.done).toBe(0);
  });

  it("HAProxy's copy rejected at start: nothing starts, exit 1", async () => {
    const { sup, launcher, haproxy, lines } = setup('program a\n    command sleep 1\n');
    haproxy.invalid = 'HAProxy (haproxy -c) rejected the configuration (exit code 1).';
    expect(await sup.start()).toBe(false);
    expect(await sup.done).toBe(1);
    expect(launcher.processes).toEqual([]);
    expect(lines).toContain('[ALERT]    (1) : HAProxy (haproxy -c) rejected the configuration (exit code 1).');
  });

  it('the slot alone: exited -> starting -> ready -> stopping -> exited, each step where it belongs; no second start', async () => {
    const launcher = new FakeLauncher();
    const clock = new FakeClock();
    const { logger, lines } = memoryLogger();
    const haproxy = new FakeHaproxy();
    const seen: string[] = [];
    const slot = new HaproxySlot(haproxy, {
      launcher,
      clock,
      logger,
      stopTimeoutMs: 2_000,
      forkSettled: () => seen.push(`fork settled (${slot.state.state})`),
      ready: () => seen.push(`ready (${slot.state.state})`),
      ended: (code, expected) => seen.push(`ended ${code} ${expected ? 'expected' : 'unexpected'} (${slot.state.state})`),
    });
    expect(slot.state.state).toBe('exited');
    slot.start();
    expect([slot.state.state, slot.alive]).toEqual(['starting', true]);
    await flush();
    expect(seen).toEqual(['fork settled (starting)']);
    haproxy.answer();
    await flush();
    expect(slot.state.state).toBe('ready');
    expect(() => slot.start()).toThrow(new IllegalTransition('HAProxy: illegal transition ready -> starting'));
    slot.stop('SIGUSR1');
    expect(slot.state.state).toBe('stopping');
    const hap = launcher.processes[0]!;
    expect(hap.signals).toEqual(['pid:SIGUSR1']);
    launcher.exit(hap.pid, 0);
    expect([slot.state.state, slot.alive]).toEqual(['exited', false]);
    expect(seen).toEqual(['fork settled (starting)', 'ready (ready)', 'ended 0 expected (exited)']);
    expect(lines).toEqual([`[WARNING]  (1) : Current worker (${hap.pid}) exited with code 0 (Exit)`]);
    expect(clock.pending()).toBe(0); // the kill timer went with it
    slot.stop('SIGTERM'); // nothing left to signal
    expect(hap.signals).toEqual(['pid:SIGUSR1', 'SIGKILL']); // SIGKILL: its group, at its exit
  });
});
