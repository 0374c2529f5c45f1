/**
 * The same configurations and the same events under HAProxy 2.6's master (`haproxy -W -db -f`)
 * and under hpm-run: the program event lines (pids masked) and the exit codes must match.
 * Worker- and haproxy-only lines (`New worker`, `Loading success.`, version NOTICEs...) are
 * ignored. Lines are compared per phase (between two actions) as sorted lists, because exits
 * that happen together are logged in whatever order the kernel reports them, by both.
 * Every difference is one hpm-run.md lists as a fix; the tests that show one say which.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyAvailable, skipReason } from '../helpers/env.js';
import { ensureBuilt, maskPids, newTag, sleep, start, startHpmRun, tempDir, type Started, checkNoLeftoversAfterEach } from './helpers.js';

const skip = skipReason('the HAProxy differential tests', haproxyAvailable, 'haproxy is not installed');
const tag = newTag();
const tmp = tempDir();
beforeAll(() => ensureBuilt(), 120_000);
checkNoLeftoversAfterEach(tag);
afterAll(() => tmp.cleanup());

type Step =
  | { wait: RegExp } // wait for a log line (not a timing assertion: it only paces the scenario)
  | { signal: NodeJS.Signals } // to the supervisor
  | { killProgram: string; signal: NodeJS.Signals } // to a program's pid, as an operator would
  | { writeConfig: string };

const PROGRAM_EVENT = /^\[(NOTICE|WARNING|ALERT)\] +\(\d+\) : (New program|Current program|Former program|exit-on-failure|Exiting Master|All workers exited|Cannot execute|Reloading HAProxy|Loading failure|config : )/;
const SETTLE_MS = 400;

/**
 * Paces a scenario (not a timing assertion): waits until the supervisor has printed nothing for
 * SETTLE_MS, so that a loaded machine that is still forking or logging does not push lines of
 * this phase into the next one. Gives up waiting after 40 quiet checks.
 */
async function settle(run: Started): Promise<void> {
  for (let i = 0; i < 40; i++) {
    const seen = run.lines().length;
    await sleep(SETTLE_MS);
    if (run.lines().length === seen) return;
  }
}

interface Outcome {
  phases: string[][];
  code: number;
}

async function runScenario(who: 'haproxy' | 'hpm-run', config: string, steps: Step[], extraArgs: string[] = []): Promise<Outcome> {
  // Same file name for both (the parse errors quote it), one directory each.
  const dir = join(tmp.dir, `${who}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir);
  const path = join(dir, 'haproxy.cfg');
  writeFileSync(path, config);
  const run: Started = who === 'haproxy' ? start('haproxy', ['-W', '-db', '-f', path], { tag }) : startHpmRun([...extraArgs, path], { tag });
  const cuts: number[] = [];
  const killer = setTimeout(() => run.signal('SIGKILL'), 50_000);
  try {
    await run.waitForLine(/New program/, 40_000);
    for (const step of steps) {
      if ('wait' in step) {
        await run.waitForLine(step.wait, 40_000);
        continue;
      }
      await settle(run);
      cuts.push(run.lines().length);
      if ('writeConfig' in step) writeFileSync(path, step.writeConfig);
      else if ('killProgram' in step) process.kill(run.pidOf(step.killProgram)!, step.signal);
      else run.signal(step.signal);
    }
    const code = await run.exited;
    const lines = run.lines();
    const bounds = [0, ...cuts, lines.length];
    const phases = bounds.slice(1).map((end, i) =>
      lines
        .slice(bounds[i], end)
        .filter((l) => PROGRAM_EVENT.test(l))
        .map(maskPids)
        .sort(),
    );
    return { phases, code };
  } finally {
    clearTimeout(killer);
  }
}

async function both(config: string, steps: Step[], hpmArgs: string[] = []): Promise<[Outcome, Outcome]> {
  return Promise.all([runScenario('haproxy', config, steps), runScenario('hpm-run', config, steps, hpmArgs)]);
}

const cfg = (body: string): string => `global\n    master-worker\n${body}`;
const N = (name: string) => `[NOTICE]   (PID) : New program '${name}' (PID) forked`;

describe.skipIf(skip)('differential: haproxy -W -db versus hpm-run', () => {
  it('start, a program exiting 0, SIGTERM to the supervisor: identical, exit 0', async () => {
    const [h, r] = await both(cfg('program ok\n    command true\nprogram sleeper\n    command sleep 300\n'), [{ wait: /Current program 'ok'/ }, { signal: 'SIGTERM' }]);
    expect(r).toEqual(h);
    expect(r.code).toBe(0);
    expect(r.phases[0]).toContain(N('sleeper'));
  }, 60_000);

  it('SIGINT to the supervisor: forwarded, programs exit 130, the supervisor exits 130', async () => {
    const [h, r] = await both(cfg('program sleeper\n    command sleep 300\n'), [{ signal: 'SIGINT' }]);
    expect(r).toEqual(h);
    expect(r.code).toBe(130);
  }, 60_000);

  const twoSleepers = cfg('program sleeper\n    command sleep 300\nprogram other\n    command sleep 301\n');

  it('SIGUSR1 to the supervisor (--exit-on-failure): forwarded, programs exit 138, each logs exit-on-failure, exit 138: identical', async () => {
    const [h, r] = await both(twoSleepers, [{ signal: 'SIGUSR1' }], ['--exit-on-failure']);
    expect(r).toEqual(h);
    expect(r.phases[1]).toContain("[ALERT]    (PID) : Current program 'sleeper' (PID) exited with code 138 (User defined signal 1)");
    expect(r.code).toBe(138);
  }, 60_000);

  it('fix "a helper never takes the others down by default": SIGUSR1 without --exit-on-failure logs no exit-on-failure line, same exit code', async () => {
    const [h, r] = await both(twoSleepers, [{ signal: 'SIGUSR1' }]);
    expect(r.phases[1]).toEqual(h.phases[1]!.filter((l) => !l.includes('exit-on-failure')));
    expect(r.code).toBe(h.code);
  }, 60_000);

  const exit3 = cfg('program three\n    command sh -c "sleep 0.5; exit 3"\nprogram sleeper\n    command sleep 300\n');

  it('a program exiting 3 with --exit-on-failure: identical to HAProxy (exit-on-failure kills all, exit 3)', async () => {
    const [h, r] = await both(exit3, [], ['--exit-on-failure']);
    expect(r).toEqual(h);
    expect(r.code).toBe(3);
    expect(r.phases[0]).toContain('[ALERT]    (PID) : exit-on-failure: killing every processes with SIGTERM');
  }, 60_000);

  it('fix "a helper never takes the others down by default": without --exit-on-failure the others keep running', async () => {
    const [h, r] = await both(exit3, [{ wait: /Current program 'three'/ }, { signal: 'SIGTERM' }]);
    // HAProxy stopped everything on its own; hpm-run only logged the exit, then stopped on SIGTERM.
    const [hFirst] = h.phases;
    expect(r.phases[0]).toEqual(hFirst!.filter((l) => !/exit-on-failure|'sleeper'.*exited|All workers exited/.test(l)));
    expect(r.phases[1]).toEqual(
      ["[ALERT]    (PID) : Current program 'sleeper' (PID) exited with code 143 (Terminated)", '[WARNING]  (PID) : All workers exited. Exiting... (3)', '[WARNING]  (PID) : Exiting Master process...'],
    );
    expect(r.code).toBe(h.code); // still 3: the first failing program's code
  }, 60_000);

  it('a program killed by SIGKILL (--exit-on-failure): code 137 (Killed), identical', async () => {
    const [h, r] = await both(cfg('program victim\n    command sleep 300\nprogram sleeper\n    command sleep 301\n'), [{ killProgram: 'victim', signal: 'SIGKILL' }], ['--exit-on-failure']);
    expect(r).toEqual(h);
    expect(r.code).toBe(137);
  }, 60_000);

  it('a command that cannot be executed (--exit-on-failure): Cannot execute, code 1, identical', async () => {
    const [h, r] = await both(cfg('program missing\n    command /nonexistent/prog\nprogram sleeper\n    command sleep 300\n'), [], ['--exit-on-failure']);
    expect(r).toEqual(h);
    expect(r.phases[0]).toContain('[ALERT]    (PID) : Cannot execute /nonexistent/prog: No such file or directory');
    expect(r.code).toBe(1);
  }, 60_000);

  it('a reload that adds, removes and changes programs: identical', async () => {
    const v1 = cfg('program a\n    command sleep 300\nprogram b\n    command sleep 301\n');
    const v2 = cfg('program a\n    command sleep 302\nprogram c\n    command sleep 303\n');
    const [h, r] = await both(v1, [
      { writeConfig: v2 },
      { signal: 'SIGUSR2' },
      { wait: /New program 'c'/ },
      { wait: /Former program 'b'/ },
      { wait: /Former program 'a'/ },
      { signal: 'SIGTERM' },
    ]);
    expect(r).toEqual(h);
    expect(r.phases[2]).toEqual([
      "[NOTICE]   (PID) : New program 'a' (PID) forked",
      "[NOTICE]   (PID) : New program 'c' (PID) forked",
      '[NOTICE]   (PID) : Reloading HAProxy',
      "[WARNING]  (PID) : Former program 'a' (PID) exited with code 138 (User defined signal 1)",
      "[WARNING]  (PID) : Former program 'b' (PID) exited with code 138 (User defined signal 1)",
    ]);
  }, 60_000);

  it('a reload with a broken config: the same errors and Loading failure!, every process kept', async () => {
    const v1 = cfg('program a\n    command sleep 300\n');
    const [h, r] = await both(v1, [
      { writeConfig: `${v1}program b\n    command sleep 1\n    foo bar\n` },
      { signal: 'SIGHUP' },
      { wait: /Loading failure!/ },
      { signal: 'SIGTERM' },
    ]);
    const dirless = (o: Outcome) => o.phases.map((p) => p.map((l) => l.replace(/\/\S*\/haproxy\.cfg/, 'haproxy.cfg')));
    expect(dirless(r)).toEqual(dirless(h));
    expect(r.phases[2]!.some((l) => /^\[ALERT\]    \(PID\) : config : parsing \[\S*haproxy\.cfg:7\] : unknown keyword 'foo' in 'program' section$/.test(l))).toBe(true);
    expect(r.phases[2]).toContain('[WARNING]  (PID) : Loading failure!');
    expect(r.phases[3]).toContain("[ALERT]    (PID) : Current program 'a' (PID) exited with code 143 (Terminated)");
    expect(r.code).toBe(h.code);
  }, 60_000);

  it('fix "no option start-on-reload keeps the running instance": HAProxy 2.6 kills it at the reload, hpm-run keeps it current', async () => {
    const config = cfg('program keeper\n    command sleep 300\n    no option start-on-reload\nprogram other\n    command sleep 301\n');
    const [h, r] = await both(config, [{ signal: 'SIGUSR2' }, { wait: /Former program 'other'/ }, { signal: 'SIGTERM' }]);
    const keeperLines = (o: Outcome) => o.phases.flat().filter((l) => l.includes("'keeper'"));
    expect(keeperLines(h)).toEqual([N('keeper'), "[WARNING]  (PID) : Former program 'keeper' (PID) exited with code 138 (User defined signal 1)"]);
    expect(keeperLines(r)).toEqual([N('keeper'), "[ALERT]    (PID) : Current program 'keeper' (PID) exited with code 143 (Terminated)"]);
    // Everything else is the same.
    const others = (o: Outcome) => o.phases.map((p) => p.filter((l) => !l.includes("'keeper'")));
    expect(others(r)).toEqual(others(h));
    expect(r.code).toBe(h.code);
  }, 60_000);
});

describe.skipIf(skip)('differential: HAPROXY_CFGFILES for the same -f arguments', () => {
  /** The HAPROXY_CFGFILES a program sees, run by `who` in `cwd` with these arguments. */
  async function cfgFilesSeen(who: 'haproxy' | 'hpm-run', cwd: string, args: string[]): Promise<string> {
    const out = join(cwd, `seen-${who}`);
    const run = who === 'haproxy' ? start('haproxy', ['-W', '-db', ...args], { tag, cwd }) : startHpmRun(args, { tag, cwd });
    const killer = setTimeout(() => run.signal('SIGKILL'), 30_000);
    try {
      await run.waitForLine(/Current program 'env' \(\d+\) exited/, 25_000);
    } finally {
      run.signal('SIGTERM');
      await run.exited;
      clearTimeout(killer);
    }
    return readFileSync(out, 'latin1');
  }

  it('directories (./cf, cf/, cf), files and hidden or double-extension names: byte-equal to HAProxy 2.6', async () => {
    const cwd = join(tmp.dir, `cfgfiles-${Math.random().toString(36).slice(2)}`);
    mkdirSync(join(cwd, 'cf'), { recursive: true });
    writeFileSync(join(cwd, 'cf/00-g.cfg'), 'global\n    master-worker\n');
    writeFileSync(join(cwd, 'cf/10-p.cfg'), `program env\n    command sh -c 'printf "%s" "$HAPROXY_CFGFILES" > seen-$WHO'\n`);
    writeFileSync(join(cwd, 'cf/.hidden.cfg'), 'program hidden\n    command false\n');
    writeFileSync(join(cwd, 'cf/x.cfg.cfg'), 'program double\n    command false\n');
    writeFileSync(join(cwd, 'cf/notes.txt'), 'program notes\n    command false\n');
    writeFileSync(join(cwd, 'extra.cfg'), '# nothing\n');
    for (const args of [['-f', './cf'], ['-f', 'cf/'], ['-f', 'cf', '-f', './extra.cfg'], ['-f', `${cwd}/cf//`]]) {
      process.env.WHO = 'haproxy';
      const expected = await cfgFilesSeen('haproxy', cwd, args);
      process.env.WHO = 'hpm-run';
      const actual = await cfgFilesSeen('hpm-run', cwd, args);
      delete process.env.WHO;
      expect(expected).toContain('cf/'); // the probe saw something
      expect({ args, cfgfiles: actual }).toEqual({ args, cfgfiles: expected });
    }
  }, 120_000);
});
