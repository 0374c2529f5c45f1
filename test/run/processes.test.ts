/**
 * hpm-run with real processes: log lines, spawn errors, stop escalation, process groups,
 * output floods, the lifeline (hpm-run SIGKILLed), PID 1 reaping. Each test tags what it
 * starts and checks that nothing tagged is left running afterwards.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ensureBuilt, isAlive, leftovers, newTag, sleep, start, startHpmRun, tempDir, waitNoLeftovers, waitUntil, HPM_RUN, checkNoLeftoversAfterEach, hpmRunForNobody } from './helpers.js';

const tag = newTag();
const tmp = tempDir();
beforeAll(() => ensureBuilt(), 120_000);
checkNoLeftoversAfterEach(tag);
afterAll(() => tmp.cleanup());

const cfg = (name: string, body: string): string => tmp.write(name, `global\n    master-worker\n${body}`);

describe('hpm-run log lines (HAProxy 2.4+ layout)', () => {
  it('runs HAProxy documentation example fixtures/hello.cfg: prints hello, world, logs the fork and the exit, exits 0', async () => {
    const run = startHpmRun(['fixtures/hello.cfg'], { tag, cwd: ROOT });
    const code = await run.exited;
    const hpm = run.child.pid!;
    const pid = run.pidOf('echo');
    expect(code).toBe(0);
    expect(run.stdout()).toBe('hello, world\n');
    expect(run.lines()).toEqual([
      `[NOTICE]   (${hpm}) : New program 'echo' (${pid}) forked`,
      `[ALERT]    (${hpm}) : Current program 'echo' (${pid}) exited with code 0 (Exit)`,
      `[WARNING]  (${hpm}) : All workers exited. Exiting... (0)`,
    ]);
  });

  it('reports spawn errors as HAProxy does (the child logs Cannot execute, exits 1) and never crashes', async () => {
    const notExecutable = tmp.write('not-executable.sh', '#!/bin/sh\necho never\n');
    const path = cfg(
      'spawn-errors.cfg',
      `program missing\n    command /nonexistent/prog arg\nprogram noperm\n    command ${notExecutable}\nprogram dir\n    command ${tmp.dir}\nprogram nopath\n    command no-such-command-anywhere\n`,
    );
    const run = startHpmRun([path], { tag });
    const code = await run.exited;
    const lines = run.lines();
    const expectFailure = (name: string, cmd: string, text: string) => {
      const pid = run.pidOf(name)!;
      expect(lines).toContain(`[ALERT]    (${pid}) : Cannot execute ${cmd}: ${text}`);
      expect(lines).toContain(`[ALERT]    (${run.child.pid}) : Current program '${name}' (${pid}) exited with code 1 (Exit)`);
    };
    expectFailure('missing', '/nonexistent/prog', 'No such file or directory');
    expectFailure('noperm', notExecutable, 'Permission denied');
    expectFailure('dir', tmp.dir, 'Permission denied');
    expectFailure('nopath', 'no-such-command-anywhere', 'No such file or directory');
    expect(lines[lines.length - 1]).toBe(`[WARNING]  (${run.child.pid}) : All workers exited. Exiting... (1)`);
    expect(code).toBe(1);
  });

  it('a batch of 60 programs where every third cannot be executed: each failure names its own pid, before its exit', async () => {
    const body = Array.from({ length: 60 }, (_, i) => `program p${i}\n    command ${i % 3 === 0 ? `/nonexistent/prog${i}` : 'sleep 0.5'}\n`).join('');
    const run = startHpmRun([cfg('batch-failures.cfg', body)], { tag });
    expect(await run.exited).toBe(1);
    const lines = run.lines();
    for (let i = 0; i < 60; i++) {
      const pid = run.pidOf(`p${i}`)!;
      const exit = lines.indexOf(`[ALERT]    (${run.child.pid}) : Current program 'p${i}' (${pid}) exited with code ${i % 3 === 0 ? 1 : 0} (Exit)`);
      expect(exit, `p${i}'s exit`).toBeGreaterThan(-1);
      const failure = lines.indexOf(`[ALERT]    (${pid}) : Cannot execute /nonexistent/prog${i}: No such file or directory`);
      if (i % 3 === 0) expect(failure, `p${i}'s failure, before its exit`).toBeGreaterThan(-1);
      if (i % 3 === 0) expect(failure).toBeLessThan(exit);
      else expect(failure).toBe(-1);
    }
    expect(lines.filter((line) => line.includes('Cannot execute'))).toHaveLength(20);
  });

  it('programs start with every signal at its default disposition and none blocked, even under an hpm-run started ignoring INT, QUIT and HUP', async () => {
    const path = cfg('signals.cfg', 'program plain\n    command sleep 30\n');
    // A non-interactive shell's background job, or nohup: hpm-run itself starts with signals ignored.
    const run = start('sh', ['-c', `trap '' INT QUIT HUP; exec "${process.execPath}" "${HPM_RUN}" "${path}"`], { tag });
    try {
      await run.waitForLine(/New program 'plain' \((\d+)\) forked/);
      const pid = run.pidOf('plain')!;
      await waitUntil(() => readFileSync(`/proc/${pid}/cmdline`, 'utf8') === 'sleep\x0030\x00', "'plain' to exec");
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const mask = (field: string) => new RegExp(`^${field}:\\s*([0-9a-f]+)$`, 'm').exec(status)?.[1];
      expect({ blocked: mask('SigBlk'), ignored: mask('SigIgn'), caught: mask('SigCgt') }).toEqual({ blocked: '0000000000000000', ignored: '0000000000000000', caught: '0000000000000000' });
    } finally {
      run.signal('SIGTERM');
      await run.exited;
    }
  });

  it('a loader thread that dies while it boots is replaced: the configuration loads and the programs run', async () => {
    // An installed copy whose early-started loader thread throws at boot (it has no workerData then).
    const dir = join(tmp.dir, 'broken-boot');
    mkdirSync(dir);
    cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
    cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    const worker = join(dir, 'dist/bin/config-loader-worker.cjs');
    writeFileSync(worker, `if (!require('node:worker_threads').workerData) throw new Error('boom at boot');\n${readFileSync(worker, 'utf8')}`);
    const run = start(process.execPath, [join(dir, 'bin/hpm-run.js'), 'fixtures/hello.cfg'], { tag, cwd: ROOT });
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toBe('hello, world\n');
    expect(run.stderr()).not.toMatch(/Cannot load the configuration/);
  });

  it('a program whose output pipes cannot be made is a failed start, not a crash of hpm-run', async () => {
    // --output prefix makes FIFOs with mkfifo, which this PATH does not have.
    const path = cfg('no-mkfifo.cfg', 'program a\n    command /bin/sleep 0.3\n');
    const run = startHpmRun(['--output', 'prefix', path], { tag, env: { PATH: '/nonexistent' } });
    expect(await run.exited).toBe(1);
    expect(run.lines()).toEqual([
      expect.stringMatching(/^\[ALERT\] +\(\d+\) : Cannot create the output pipes of program 'a': .*mkfifo ENOENT$/),
      expect.stringMatching(/^\[ALERT\] +\(\d+\) : Cannot fork program 'a'\.$/),
      expect.stringMatching(/^\[WARNING\] +\(\d+\) : All workers exited\. Exiting\.\.\. \(1\)$/),
    ]);
  });

  it('exits with the first current program code other than 0/143 (a program that exits at once with 3)', async () => {
    const run = startHpmRun([cfg('exit3.cfg', 'program ok\n    command true\nprogram three\n    command sh -c "exit 3"\n')], { tag });
    expect(await run.exited).toBe(3);
    expect(run.lines()).toContain(`[ALERT]    (${run.child.pid}) : Current program 'three' (${run.pidOf('three')}) exited with code 3 (Exit)`);
  });

  it('-c checks only: 0 for a valid file, 1 with HAProxy-style diagnostics for an invalid one', async () => {
    const good = startHpmRun(['-c', cfg('good.cfg', 'program a\n    command sleep 1\n')], { tag });
    expect(await good.exited).toBe(0);
    expect(good.stdout()).toBe('Configuration file is valid\n');
    const badPath = cfg('bad.cfg', 'program a\n    command sleep 1\n    foo bar\n');
    const bad = startHpmRun(['-c', badPath], { tag });
    expect(await bad.exited).toBe(1);
    expect(bad.lines()).toContain(`[ALERT]    (${bad.child.pid}) : config : parsing [${badPath}:5] : unknown keyword 'foo' in 'program' section`);
  });

  it('a file that cannot be read: HAProxy line, exit 1, nothing started', async () => {
    const missing = `${tmp.dir}/missing.cfg`;
    const run = startHpmRun([missing], { tag });
    expect(await run.exited).toBe(1);
    expect(run.lines()).toEqual([`[ALERT]    (${run.child.pid}) : config : Cannot open configuration file/directory ${missing} : No such file or directory`]);
  });
});

describe('configuration files', () => {
  it('a directory holding no *.cfg is a usage error (exit 1, as HAProxy), never a run with no program', async () => {
    const { mkdirSync } = await import('node:fs');
    const empty = `${tmp.dir}/empty.d`;
    mkdirSync(empty);
    tmp.write('empty.d/readme.txt', 'program nope\n    command false\n');
    for (const args of [[empty], ['-c', empty]]) {
      const run = startHpmRun(args, { tag });
      expect(await run.exited).toBe(1);
      expect(run.lines()).toEqual([`[ALERT]    (${run.child.pid}) : config : no configuration file to load: '${empty}' holds no *.cfg file`]);
    }
  });

  it('-f repeats, a directory means its *.cfg in C order; programs see HAPROXY_CFGFILES, HAPROXY_MWORKER and global setenv', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(`${tmp.dir}/conf.d`);
    tmp.write('conf.d/b.cfg', "program second\n    command sh -c 'sleep 0.3; echo second $HAPROXY_MWORKER $GREETING'\n");
    tmp.write('conf.d/B.cfg', "program first\n    command sh -c 'echo first $HAPROXY_CFGFILES'\n");
    tmp.write('conf.d/ignored.txt', 'program nope\n    command false\n');
    const main = tmp.write('main.cfg', 'global\n    master-worker\n    setenv GREETING hello\n');
    const run = startHpmRun(['-f', main, `${tmp.dir}/conf.d`], { tag });
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toBe(`first ${main};${tmp.dir}/conf.d/B.cfg;${tmp.dir}/conf.d/b.cfg\nsecond 1 hello\n`);
    expect(run.lines().filter((l) => l.includes('New program')).map((l) => /'(\w+)'/.exec(l)![1])).toEqual(['first', 'second']);
  });
});

describe('reloads', () => {
  it('no option start-on-reload: a program handling SIGUSR1 hears each reload, one that would die of it is left alone; both stay current', async () => {
    const path = cfg(
      'kept.cfg',
      'program listener\n    command sh -c \'trap "echo got-usr1" USR1; while :; do sleep 0.05; done\'\n    no option start-on-reload\n' +
        'program plain\n    command sleep 421\n    no option start-on-reload\n',
    );
    const run = startHpmRun([path], { tag });
    await run.waitForLine(/New program 'plain'/);
    await waitUntil(() => /^SigCgt:\s*0*[0-9a-f]*[2367abef][0-9a-f]{2}$/m.test(readFileSync(`/proc/${run.pidOf('listener')}/status`, 'utf8')), 'the trap');
    const listener = run.pidOf('listener');
    const plain = run.pidOf('plain')!;
    for (let i = 1; i <= 2; i++) {
      run.signal('SIGHUP');
      await waitUntil(() => run.lines().filter((l) => l.includes('Loading success.')).length === i, `reload ${i}`);
      await waitUntil(() => run.stdout().split('got-usr1').length - 1 === i, `SIGUSR1 ${i}`);
    }
    expect(isAlive(plain)).toBe(true);
    expect(run.lines().filter((l) => l.includes('New program'))).toHaveLength(2); // nothing restarted
    expect(run.pidOf('listener')).toBe(listener);
    run.signal('SIGTERM');
    expect(await run.exited).toBe(0);
  });
});

describe('argument bytes', () => {
  it('a configuration file that is not UTF-8 (latin1) gives the program the exact bytes written in it', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const out = `${tmp.dir}/bytes`;
    mkdirSync(out);
    const path = `${tmp.dir}/latin1.cfg`;
    const e9 = Buffer.from([0xe9]);
    writeFileSync(path, Buffer.concat([Buffer.from(`global\n    master-worker\nprogram bytes\n    command touch ${out}/caf`), e9, Buffer.from('\n')]));
    const run = startHpmRun([path], { tag });
    expect(await run.exited).toBe(0);
    expect(readdirSync(out, { encoding: 'buffer' })).toEqual([Buffer.concat([Buffer.from('caf'), e9])]);
  });
});

describe('stopping', () => {
  it('SIGTERM to hpm-run: a program ignoring SIGTERM is SIGKILLed (with its group) after --stop-timeout', async () => {
    const path = cfg('ignore-term.cfg', `program stubborn\n    command sh -c "trap '' TERM; sleep 300 & wait; wait"\n`);
    const run = startHpmRun(['--stop-timeout', '500ms', path], { tag });
    await run.waitForLine(/New program 'stubborn'/);
    await sleep(200); // let sh install its trap
    run.signal('SIGTERM');
    const code = await run.exited;
    const hpm = run.child.pid!;
    const pid = run.pidOf('stubborn')!;
    expect(run.lines()).toEqual([
      `[NOTICE]   (${hpm}) : New program 'stubborn' (${pid}) forked`,
      `[WARNING]  (${hpm}) : Exiting Master process...`,
      `[WARNING]  (${hpm}) : Program 'stubborn' (${pid}) still running 500ms after SIGTERM: killing its process group with SIGKILL`,
      `[ALERT]    (${hpm}) : Current program 'stubborn' (${pid}) exited with code 137 (Killed)`,
      `[WARNING]  (${hpm}) : All workers exited. Exiting... (137)`,
    ]);
    expect(code).toBe(137);
  });

  it('signals the whole process group: grandchildren do not outlive the stop, even one that ignores SIGTERM', async () => {
    const path = cfg('forker.cfg', `program forker\n    command sh -c "sleep 301 & (trap '' TERM; exec sleep 302) & exec sleep 303"\n`);
    const run = startHpmRun(['--stop-timeout', '500ms', path], { tag });
    await run.waitForLine(/New program 'forker'/);
    await waitUntil(() => leftovers(tag).filter((p) => p.cmdline.startsWith('sleep 30')).length === 3, 'three sleeps');
    run.signal('SIGINT');
    expect(await run.exited).toBe(130);
    expect(run.lines()).toContain(`[ALERT]    (${run.child.pid}) : Current program 'forker' (${run.pidOf('forker')}) exited with code 130 (Interrupt)`);
    // The sleeps run in the background of a non-interactive sh, which ignores SIGINT there: once
    // their leader is gone they are adopted, get SIGTERM, and the one ignoring it SIGKILL.
    expect(run.lines().some((l) => /Adopted process 'sleep' \(\d+\) still running 500ms after SIGTERM: killing it with SIGKILL/.test(l))).toBe(true);
  });

  it('SIGKILL to hpm-run leaves no program behind (programs and their grandchildren)', async () => {
    const path = cfg('lifeline.cfg', 'program a\n    command sleep 311\nprogram b\n    command sh -c "sleep 312 & exec sleep 313"\n');
    const run = startHpmRun([path], { tag });
    await run.waitForLine(/New program 'b'/);
    await waitUntil(() => leftovers(tag).filter((p) => p.cmdline.startsWith('sleep 31')).length === 3, 'three sleeps');
    run.signal('SIGKILL');
    expect(await run.exited).toBe(137);
    expect(await waitNoLeftovers(tag)).toEqual([]);
  });
});

describe('output', () => {
  it('a program flooding stdout reaches hpm-run stdout whole, log lines stay intact', async () => {
    const path = cfg('flood.cfg', 'program flood\n    command sh -c "yes flood-line | head -n 200000"\nprogram quick\n    command true\n');
    const run = startHpmRun([path], { tag });
    expect(await run.exited).toBe(0);
    const out = run.stdout().split('\n');
    expect(out.filter((l) => l === 'flood-line').length).toBe(200000);
    for (const line of run.lines()) expect(line).toMatch(/^\[(NOTICE|WARNING|ALERT)\] +\(\d+\) : /);
    expect(run.lines()).toHaveLength(5);
  });

  it('survives a closed stdout/stderr (EPIPE) and still exits with the programs code', async () => {
    const path = cfg('epipe.cfg', 'program three\n    command sh -c "sleep 0.2; exit 3"\n');
    const run = startHpmRun([path], { tag });
    run.child.stderr!.destroy();
    run.child.stdout!.destroy();
    expect(await run.exited).toBe(3);
  });
});

/** Processes below `root` (by PPid), with their state. */
function descendants(root: number): { pid: number; ppid: number; state: string; comm: string }[] {
  const all = readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .flatMap((n) => {
      try {
        const stat = readFileSync(`/proc/${n}/stat`, 'utf8');
        const close = stat.lastIndexOf(')');
        const fields = stat.slice(close + 2).split(' ');
        return [{ pid: Number(n), ppid: Number(fields[1]), state: fields[0]!, comm: stat.slice(stat.indexOf('(') + 1, close) }];
      } catch {
        return [];
      }
    });
  const found: typeof all = [];
  let frontier = [root];
  while (frontier.length > 0) {
    const next = all.filter((p) => frontier.includes(p.ppid));
    found.push(...next);
    frontier = next.map((p) => p.pid);
  }
  return found;
}

const canUnshare = (() => {
  try {
    execFileSync('unshare', ['--fork', '--pid', '--mount-proc', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!canUnshare)('as PID 1 (unshare --fork --pid --mount-proc)', () => {
  it('reaps orphans re-parented to it: no zombie stays', async () => {
    const path = cfg('orphans.cfg', 'program orphaner\n    command sh -c "(sleep 0.2 &); (sleep 0.3 &); exec sleep 321"\n');
    const run = start('unshare', ['--fork', '--pid', '--mount-proc', '--kill-child', process.execPath, HPM_RUN, path], { tag });
    await run.waitForLine(/New program 'orphaner' \(\d+\) forked/);
    expect(run.lines()[0]).toMatch(/^\[NOTICE\]   \(1\) : /); // hpm-run is PID 1 in there
    await sleep(1000); // the orphans (0.2 s, 0.3 s) have exited by now
    const zombies = descendants(run.child.pid!).filter((p) => p.state === 'Z');
    expect(zombies).toEqual([]);
    const sleeps = descendants(run.child.pid!).filter((p) => p.comm === 'sleep');
    expect(sleeps).toHaveLength(1); // only `sleep 321` remains
    const hpm = descendants(run.child.pid!).find((p) => p.comm === 'node')!;
    process.kill(hpm.pid, 'SIGTERM');
    expect(await run.exited).toBe(0);
  });
});

describe.skipIf(process.getuid?.() !== 0)('credentials (as root)', () => {
  const statusOf = async (body: string, extra: string[] = [], bin = HPM_RUN) => {
    const run = start('setpriv', [...extra, process.execPath, bin, cfg(`cred-${Math.random()}.cfg`, `program status\n    command cat /proc/self/status\n${body}`)], { tag, cwd: '/' });
    const code = await run.exited;
    const field = (name: string) => new RegExp(`^${name}:\\t(.*)$`, 'm').exec(run.stdout())?.[1]?.trim();
    return { code, uid: field('Uid'), gid: field('Gid'), groups: field('Groups'), run };
  };
  // hpm-run itself runs with supplementary groups 4 and 24: programs must never get them. A
  // program that changes its group keeps that group alone as supplementary list (Perl's `$)`).
  const withGroups = ['--groups', '4,24', '--'];

  it('user nobody + group nogroup: uid and gid 65534, no supplementary group but its own', async () => {
    const s = await statusOf('    user nobody\n    group nogroup\n', withGroups);
    expect(s).toMatchObject({ code: 0, uid: '65534\t65534\t65534\t65534', gid: '65534\t65534\t65534\t65534', groups: '65534' });
  });
  it("user nobody alone: the user's primary group (65534), never root's gid 0 or groups", async () => {
    const s = await statusOf('    user nobody\n', withGroups);
    expect(s).toMatchObject({ code: 0, uid: '65534\t65534\t65534\t65534', gid: '65534\t65534\t65534\t65534', groups: '65534' });
  });
  it('group nogroup alone: uid stays 0, gid 65534, supplementary groups 4 and 24 dropped', async () => {
    const s = await statusOf('    group nogroup\n', withGroups);
    expect(s).toMatchObject({ code: 0, uid: '0\t0\t0\t0', gid: '65534\t65534\t65534\t65534', groups: '65534' });
  });
  it('neither: the program keeps hpm-run credentials', async () => {
    const s = await statusOf('', withGroups);
    expect(s).toMatchObject({ code: 0, uid: '0\t0\t0\t0', gid: '0\t0\t0\t0', groups: '4 24' });
  });

  describe('hpm-run not root', () => {
    // nobody must be able to read hpm-run: a checkout in a private directory gets a copy.
    let runnable: ReturnType<typeof hpmRunForNobody> = { reason: 'not prepared' };
    beforeAll(() => {
      runnable = hpmRunForNobody();
      if ('reason' in runnable) console.log(`skipping 'hpm-run not root' checks: ${runnable.reason}`);
    }, 120_000);
    afterAll(() => {
      if ('cleanup' in runnable) runnable.cleanup();
    });
    const asNobody = (groups: string[]) => ['--reuid', 'nobody', '--regid', 'nogroup', ...groups, '--'];

    it('the switch fails with HAProxy message naming the gid/uid, the program exits 1', async (context) => {
      if ('reason' in runnable) return context.skip();
      chmodSync(tmp.dir, 0o755);
      const s = await statusOf('    group daemon\n', asNobody(['--clear-groups']), runnable.path);
      expect(s.code).toBe(1);
      expect(s.run.lines()).toContain(`[ALERT]    (${s.run.pidOf('status')}) : [cat.main()] Cannot set gid 1.`);
      const u = await statusOf('    user daemon\n', asNobody(['--clear-groups']), runnable.path);
      // `user` alone means the user's primary group: the gid switch (group first) is what fails.
      expect(u.run.lines()).toContain(`[ALERT]    (${u.run.pidOf('status')}) : [cat.main()] Cannot set gid 1.`);
      expect(isAlive(s.run.child.pid!)).toBe(false);
    });

    it('setgroups failing never goes unnoticed: Cannot set groups, the program does not run with the groups hpm-run has', async (context) => {
      if ('reason' in runnable) return context.skip();
      chmodSync(tmp.dir, 0o755);
      // setgid to its own gid is allowed, dropping supplementary group 4 is not.
      const s = await statusOf('    group nogroup\n', asNobody(['--groups', '4']), runnable.path);
      expect(s.code).toBe(1);
      expect(s.run.stdout()).toBe('');
      expect(s.run.lines()).toContain(`[ALERT]    (${s.run.pidOf('status')}) : [cat.main()] Cannot set groups to 65534 only: Operation not permitted.`);
    });
  });
});
