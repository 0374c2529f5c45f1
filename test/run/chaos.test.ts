/**
 * hpm-run under what a hostile environment does to a supervisor: inherited file descriptors,
 * a reader of its output that goes away, programs that daemonize behind its back, reload
 * storms, SIGKILL at any moment. Each test tags what it starts; nothing may be left running.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HPM_RUN, checkNoLeftoversAfterEach, ensureBuilt, leftovers, newTag, sleep, start, startHpmRun, tempDir, waitNoLeftovers, waitUntil } from './helpers.js';

const tag = newTag();
const tmp = tempDir();
beforeAll(() => ensureBuilt(), 120_000);
checkNoLeftoversAfterEach(tag);
afterAll(() => tmp.cleanup());

const cfg = (name: string, body: string): string => tmp.write(name, `global\n    master-worker\n${body}`);

describe('file descriptors', () => {
  it('a program gets fds 0-2 only, not a lock fd (200) that whoever started hpm-run held', async () => {
    const path = cfg('fds.cfg', "program fds\n    command sh -c 'ls /proc/$$/fd'\n");
    const lock = `${tmp.dir}/lock`;
    const run = start('bash', ['-c', `exec 200>"$1"; exec "$2" "$3" "$4"`, 'bash', lock, process.execPath, HPM_RUN, path], { tag });
    expect(await run.exited).toBe(0);
    expect(run.stdout().split('\n').filter(Boolean).sort()).toEqual(['0', '1', '2']);
  });

  it('programs forked in one batch get fds 0-2 only, not the fork server\'s pipes to the others', async () => {
    const programs = Array.from({ length: 40 }, (_, i) => `program fds${i}\n    command sh -c 'ls /proc/$$/fd'\n`).join('');
    const run = startHpmRun([cfg('fds-batch.cfg', programs)], { tag });
    expect(await run.exited).toBe(0);
    const listed = run.stdout().split('\n').filter(Boolean);
    expect(listed).toHaveLength(120);
    expect(new Set(listed)).toEqual(new Set(['0', '1', '2']));
  });
});

describe('output reader gone (--output prefix)', () => {
  it('EPIPE on stdout: hpm-run keeps supervising, says so once on stderr, stops normally', async () => {
    const path = cfg('epipe-prefix.cfg', "program talk\n    command sh -c 'while :; do echo line; sleep 0.01; done'\nprogram quiet\n    command sleep 401\n");
    const run = startHpmRun(['--output', 'prefix', path], { tag });
    await run.waitForLine(/talk +\| line/);
    run.child.stdout!.destroy();
    await run.waitForLine(/stdout cannot be written \(EPIPE\)/);
    await sleep(300); // the programs keep writing into the void meanwhile
    expect(run.child.exitCode).toBe(null);
    run.signal('SIGTERM');
    expect(await run.exited).toBe(0);
    const warnings = run.lines().filter((l) => l.includes('cannot be written'));
    expect(warnings).toHaveLength(1);
    expect(run.lines().at(-1)).toMatch(/All workers exited\. Exiting\.\.\. \(0\)$/);
    expect(run.stderr()).not.toMatch(/Error: write EPIPE|at .*\.js:\d+/);
  });
});

describe('daemons left behind by programs (adopted by the fork server)', () => {
  const daemonCfg = (name: string, daemon: string) =>
    cfg(name, `program daemonize\n    command sh -c "( setsid ${daemon} & ); exit 0"\nprogram steady\n    command sleep 402\n`);

  it('a normal stop ends a double-forked daemon too, and names it', async () => {
    const run = startHpmRun([daemonCfg('daemon.cfg', 'sleep 403')], { tag });
    await waitUntil(() => leftovers(tag).some((p) => p.cmdline === 'sleep 403'), 'the daemon');
    const daemon = leftovers(tag).find((p) => p.cmdline === 'sleep 403')!.pid;
    await run.waitForLine(/Current program 'daemonize' \(\d+\) exited with code 0/);
    run.signal('SIGTERM');
    expect(await run.exited).toBe(0);
    const hpm = run.child.pid!;
    expect(run.lines()).toContain(`[WARNING]  (${hpm}) : Adopted process 'sleep' (${daemon}), left behind by a program: stopping it with SIGTERM`);
    expect(run.lines()).toContain(`[WARNING]  (${hpm}) : Adopted process 'sleep' (${daemon}) exited with code 143 (Terminated)`);
    expect(await waitNoLeftovers(tag)).toEqual([]);
  });

  it('a daemon ignoring SIGTERM is SIGKILLed after the stop timeout, with its group', async () => {
    const path = daemonCfg('stubborn-daemon.cfg', `sh -c 'trap \\"\\" TERM; sleep 404 & wait; wait'`);
    const run = startHpmRun(['--stop-timeout', '500ms', path], { tag });
    await waitUntil(() => leftovers(tag).some((p) => p.cmdline === 'sleep 404'), 'the daemon');
    await run.waitForLine(/Current program 'daemonize' \(\d+\) exited with code 0/);
    run.signal('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.lines().some((l) => /Adopted process 'sh' \(\d+\) still running 500ms after SIGTERM: killing it with SIGKILL/.test(l))).toBe(true);
    expect(run.lines().some((l) => /Adopted process 'sh' \(\d+\) exited with code 137 \(Killed\)/.test(l))).toBe(true);
    expect(await waitNoLeftovers(tag)).toEqual([]);
  });

  it('when the last program ends by itself, its daemon ends with hpm-run (no survivor under init)', async () => {
    const path = cfg('lone-daemon.cfg', 'program daemonize\n    command sh -c "( setsid sleep 405 & ); sleep 0.3; exit 0"\n');
    const run = startHpmRun([path], { tag });
    expect(await run.exited).toBe(0);
    expect(run.lines().some((l) => /Adopted process 'sleep' \(\d+\), left behind by a program/.test(l))).toBe(true);
    expect(await waitNoLeftovers(tag)).toEqual([]);
  });
});

/** RSS (kB) and open fd count of a process. */
function usage(pid: number): { rssKb: number; fds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rssKb: Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0), fds: readdirSync(`/proc/${pid}/fd`).length };
}

describe('chaos', () => {
  it('a reload storm (60 reloads, the program set changing each time) leaks no fds and no memory beyond a generous bound', async () => {
    const path = `${tmp.dir}/storm.cfg`;
    const write = (i: number) => tmp.write('storm.cfg', `global\n    master-worker\nprogram keep\n    command sleep 406\n    no option start-on-reload\nprogram churn${i % 3}\n    command sleep 40${7 + (i % 3)}\n`);
    write(0);
    const run = startHpmRun(['--output', 'prefix', path], { tag });
    await run.waitForLine(/New program 'churn0'/);
    const pid = run.child.pid!;
    const samples: { rssKb: number; fds: number }[] = [];
    for (let i = 1; i <= 60; i++) {
      write(i);
      const before = run.lines().filter((l) => l.includes('Loading success.')).length;
      run.signal('SIGHUP');
      await waitUntil(() => run.lines().filter((l) => l.includes('Loading success.')).length > before, `reload ${i}`, 30_000);
      if (i === 10 || i % 10 === 0) samples.push(usage(pid));
    }
    const [first, ...rest] = samples;
    for (const s of rest) {
      expect(s.fds).toBeLessThanOrEqual(first!.fds + 8);
      expect(s.rssKb).toBeLessThan(first!.rssKb * 1.5 + 20_000);
    }
    run.signal('SIGTERM');
    expect(await run.exited).toBe(0);
  }, 180_000);

  it('SIGKILL of hpm-run at random moments (starting, reloading, stopping) leaves nothing running, daemons included', async () => {
    const path = cfg('kill.cfg', 'program a\n    command sleep 411\nprogram b\n    command sh -c "sleep 412 & exec sleep 413"\nprogram d\n    command sh -c "( setsid sleep 414 & ); exec sleep 415"\n');
    for (let round = 0; round < 8; round++) {
      const run = startHpmRun([path], { tag });
      if (round % 2 === 1) await run.waitForLine(/New program 'd'/);
      await sleep(Math.floor(Math.random() * 400));
      if (round % 4 === 3) run.signal('SIGHUP');
      if (round % 4 === 2) run.signal('SIGTERM');
      await sleep(Math.floor(Math.random() * 100));
      run.signal('SIGKILL');
      await run.exited;
      expect(await waitNoLeftovers(tag)).toEqual([]);
    }
  }, 120_000);
});
