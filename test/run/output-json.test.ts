/**
 * `--output json` (one JSON object per program line on stdout, for log shippers) and
 * `--log-format haproxy|haproxy-2.3|json` (hpm-run's own lines on stderr), with real processes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLogLineAs, haproxy23Date } from '../../src/run/log.js';
import { JsonLineWriter } from '../../src/run/output.js';
import { checkNoLeftoversAfterEach, ensureBuilt, newTag, startHpmRun, tempDir } from './helpers.js';

const tag = newTag();
const tmp = tempDir();
beforeAll(() => ensureBuilt(), 120_000);
checkNoLeftoversAfterEach(tag);
afterAll(() => tmp.cleanup());

interface JsonLine {
  time: string;
  program: string;
  pid: number | null;
  stream: string;
  line: string;
}

describe('--output json', () => {
  it('every line of every program as {time, program, pid, stream, line} on stdout', async () => {
    const path = tmp.write(
      'json.cfg',
      'global\n    master-worker\nprogram talker\n    command sh -c "echo out one; echo err one >&2; echo \'a \\"quoted\\" word\'; printf no-newline"\nprogram quiet\n    command true\n',
    );
    const run = startHpmRun(['--output', 'json', path], { tag });
    expect(await run.exited).toBe(0);
    const lines = run.stdout().trimEnd().split('\n').map((l) => JSON.parse(l) as JsonLine);
    const pid = run.pidOf('talker');
    expect(lines.map((l) => [l.program, l.pid, l.stream, l.line])).toEqual(
      expect.arrayContaining([
        ['talker', pid, 'stdout', 'out one'],
        ['talker', pid, 'stderr', 'err one'],
        ['talker', pid, 'stdout', 'a "quoted" word'],
        ['talker', pid, 'stdout', 'no-newline'],
      ]),
    );
    expect(lines).toHaveLength(4);
    for (const l of lines) expect(Number.isNaN(Date.parse(l.time))).toBe(false);
    expect(run.stderr()).not.toContain('out one'); // both streams go to stdout as JSON
  });

  it('lines read before the pid is known wait for it; a cut stream still ends its last line', () => {
    const out: string[] = [];
    const writer = new JsonLineWriter('api', 'stderr', (chunk) => (out.push(chunk.toString()), true), () => new Date(0));
    writer.push(Buffer.from('early\npart'));
    expect(out).toEqual([]);
    writer.setPid(42);
    writer.push(Buffer.from('ial\n'));
    writer.push(Buffer.from('last'));
    writer.end();
    expect(out.join('').trimEnd().split('\n').map((l) => JSON.parse(l) as JsonLine)).toEqual([
      { time: '1970-01-01T00:00:00.000Z', program: 'api', pid: 42, stream: 'stderr', line: 'early' },
      { time: '1970-01-01T00:00:00.000Z', program: 'api', pid: 42, stream: 'stderr', line: 'partial' },
      { time: '1970-01-01T00:00:00.000Z', program: 'api', pid: 42, stream: 'stderr', line: 'last' },
    ]);
  });
});

describe('--log-format', () => {
  it("haproxy-2.3: HAProxy 2.0-2.3's layout, day of the year from 0 then HHMMSS (local time)", () => {
    // 21 November 2021, 18:43:22: day 324 counted from 0, as in HAProxy Enterprise 2.3's documentation.
    expect(haproxy23Date(new Date(2021, 10, 21, 18, 43, 22))).toBe('324/184322');
    expect(haproxy23Date(new Date(2024, 0, 1, 0, 0, 5))).toBe('000/000005');
    expect(haproxy23Date(new Date(2024, 11, 31, 23, 59, 59))).toBe('365/235959'); // a leap year
    expect(formatLogLineAs('haproxy-2.3', 'NOTICE', 3330, "New program 'echo' (3351) forked", new Date(2021, 10, 21, 18, 43, 22))).toBe(
      "[NOTICE] 324/184322 (3330) : New program 'echo' (3351) forked",
    );
  });

  it('hpm-run writes its lines in the chosen layout: haproxy (default), haproxy-2.3, json', async () => {
    const path = tmp.write('echo.cfg', 'global\n    master-worker\nprogram echo\n    command echo hello\n');
    const def = startHpmRun([path], { tag });
    expect(await def.exited).toBe(0);
    expect(def.lines()[0]).toMatch(/^\[NOTICE\]   \(\d+\) : New program 'echo' \(\d+\) forked$/);

    const old = startHpmRun(['--log-format', 'haproxy-2.3', path], { tag });
    expect(await old.exited).toBe(0);
    expect(old.lines()[0]).toMatch(/^\[NOTICE\] \d{3}\/\d{6} \(\d+\) : New program 'echo' \(\d+\) forked$/);
    expect(old.lines()).toContainEqual(expect.stringMatching(/^\[ALERT\] \d{3}\/\d{6} \(\d+\) : Current program 'echo' \(\d+\) exited with code 0 \(Exit\)$/));

    const json = startHpmRun(['--log-format', 'json', path], { tag });
    expect(await json.exited).toBe(0);
    const objects = json.lines().map((l) => JSON.parse(l) as { time: string; level: string; pid: number; message: string });
    expect(objects[0]).toMatchObject({ level: 'NOTICE', pid: json.child.pid, message: `New program 'echo' (${json.pidOf('echo')}) forked` });
    expect(objects.map((o) => o.level)).toEqual(['NOTICE', 'ALERT', 'WARNING']);
  });

  it('an unknown layout is a usage error', async () => {
    const run = startHpmRun(['--log-format', 'syslog', 'x.cfg'], { tag });
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toMatch(/log-format/);
  });
});
