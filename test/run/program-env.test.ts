/**
 * `env`, `cwd` and `umask` (hpm-run extensions): what the running program sees, read from
 * /proc/<pid>/environ, /proc/<pid>/cwd and the Umask line of /proc/<pid>/status; a cwd that does
 * not exist is a `Cannot execute` failure of that program only.
 */
import { mkdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExtension } from '../../src/model/extensions.js';
import { checkNoLeftoversAfterEach, ensureBuilt, newTag, startHpmRun, tempDir, waitUntil } from './helpers.js';

const tag = newTag();
const tmp = tempDir();
beforeAll(() => ensureBuilt(), 120_000);
checkNoLeftoversAfterEach(tag);
afterAll(() => tmp.cleanup());

const environOf = (pid: number): string[] => readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);

describe('env, cwd, umask', () => {
  it('parse: a name and a value; a directory; an octal mask', () => {
    expect(parseExtension('env', ['A_1', 'x y'])).toEqual({ ok: true, value: { env: [['A_1', 'x y']] } });
    expect(parseExtension('env', ['1A', 'x'])).toMatchObject({ ok: false, message: "invalid environment variable name '1A'" });
    expect(parseExtension('env', ['A'])).toMatchObject({ ok: false });
    expect(parseExtension('umask', ['027'])).toEqual({ ok: true, value: { umask: 0o27 } });
    expect(parseExtension('umask', ['0999'])).toMatchObject({ ok: false, message: "invalid umask '0999'" });
    expect(parseExtension('cwd', ['/tmp'])).toEqual({ ok: true, value: { cwd: '/tmp' } });
  });

  it('are seen by the program, per program, over global setenv; the other program keeps the defaults', async () => {
    const work = join(tmp.dir, 'work dir');
    mkdirSync(work);
    const path = tmp.write(
      'env.cfg',
      [
        'global',
        '    master-worker',
        '    setenv SHARED from-global',
        'program with',
        '    command sleep 30',
        '.if defined(HPM_RUN)',
        '    env GREETING "hello world"',
        '    env SHARED from-program',
        '    env GREETING again',
        `    cwd "${work}"`,
        '    umask 0027',
        '.endif',
        'program without',
        '    command sleep 31',
        '',
      ].join('\n'),
    );
    const run = startHpmRun([path], { tag, cwd: tmp.dir });
    try {
      await run.waitForLine(/New program 'without' \(\d+\) forked/);
      const withPid = run.pidOf('with')!;
      const withoutPid = run.pidOf('without')!;
      // `New program` is logged at fork: wait for the exec before reading what the program sees.
      const execd = (pid: number, cmdline: string) => () => readFileSync(`/proc/${pid}/cmdline`, 'utf8') === cmdline;
      await waitUntil(execd(withPid, 'sleep\x0030\x00'), "'with' to exec");
      await waitUntil(execd(withoutPid, 'sleep\x0031\x00'), "'without' to exec");
      const env = environOf(withPid);
      expect(env).toContain('GREETING=again');
      expect(env).toContain('SHARED=from-program');
      expect(env).toContain('HAPROXY_MWORKER=1');
      expect(readlinkSync(`/proc/${withPid}/cwd`)).toBe(work);
      expect(/^Umask:\s+(\d+)$/m.exec(readFileSync(`/proc/${withPid}/status`, 'utf8'))?.[1]).toBe('0027');
      const other = environOf(withoutPid);
      expect(other).toContain('SHARED=from-global');
      expect(other.some((l) => l.startsWith('GREETING='))).toBe(false);
      expect(readlinkSync(`/proc/${withoutPid}/cwd`)).toBe(tmp.dir);
      expect(/^Umask:\s+(\d+)$/m.exec(readFileSync(`/proc/${withoutPid}/status`, 'utf8'))?.[1]).toBe(/^Umask:\s+(\d+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
    } finally {
      run.signal('SIGTERM');
      await run.exited;
    }
  });

  it('a missing cwd: `Cannot execute` for that program, the others keep running', async () => {
    const missing = join(tmp.dir, 'no-such-dir');
    const path = tmp.write(
      'nocwd.cfg',
      `global\n    master-worker\nprogram lost\n    command sleep 30\n.if defined(HPM_RUN)\n    cwd ${missing}\n.endif\nprogram fine\n    command sleep 32\n`,
    );
    const run = startHpmRun([path], { tag });
    try {
      const failed = await run.waitForLine(/\[ALERT\] +\(\d+\) : Cannot execute sleep: cannot change directory to '(.*)': No such file or directory/);
      expect(failed[1]).toBe(missing);
      await run.waitForLine(/Current program 'lost' \(\d+\) exited with code 1 \(Exit\)/);
      await run.waitForLine(/New program 'fine' \(\d+\) forked/);
      await waitUntil(() => readFileSync(`/proc/${run.pidOf('fine')}/cmdline`, 'utf8') === 'sleep\x0032\x00', "'fine' to run");
    } finally {
      run.signal('SIGTERM');
      expect(await run.exited).toBe(1);
    }
  });
});
