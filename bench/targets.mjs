#!/usr/bin/env node
/**
 * The speed and memory targets in one run, each hpm figure beside HAProxy's on the same input in
 * the same run. Prints the Markdown table of README's "Speed and memory". Not a test.
 *
 *   npm run build && node bench/targets.mjs [rounds=5]
 *
 * Inputs come from bench/generate-realistic.mjs (1k, 10k and 108k lines; the formatter gets the
 * --messy variant, so that every line changes). Each measure is a whole process (node start
 * included) under GNU time for its peak RSS; the jobs take turns, in reverse order every other
 * round, so that a busy machine slows each alike, and each figure is the median of the rounds
 * (wall time decides whether a target is met; CPU time is shown beside it).
 * hpm-run's figures come from bench/run.mjs (200 programs, 9 rounds taken in turns with HAProxy's
 * master, medians: a start varies by ±15% from one run to the next on a shared 2-core machine);
 * with HPM_HAPROXY_3_2 set, HAProxy 3.2's master is measured in the same rounds too.
 * The load average before and after is printed: on a shared machine it says how much to trust
 * the figures.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rounds = Number(process.argv[2] ?? 5);
if (!existsSync(join(root, 'dist/src/cli/lint.js'))) {
  console.error('run `npm run build` first');
  process.exit(2);
}
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const haproxyVersion = /version (\S+)/.exec(spawnSync('haproxy', ['-v'], { encoding: 'utf8' }).stdout ?? '')?.[1];

/**
 * One whole process: wall ms, and with GNU time its CPU ms (user + system: less sensitive to a
 * busy machine than wall time, though Node's GC threads can make it exceed wall time) and peak
 * RSS in MB. Its output is thrown away.
 */
function measure(command, args) {
  const started = process.hrtime.bigint();
  const run = gnuTime
    ? spawnSync(gnuTime, ['-f', '%U %S %M', command, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] })
    : spawnSync(command, args, { stdio: 'ignore' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const figures = gnuTime ? /([\d.]+) ([\d.]+) (\d+)\s*$/.exec(run.stderr) : null;
  if (!figures) return { ms, status: run.status };
  return { ms, cpuMs: (Number(figures[1]) + Number(figures[2])) * 1000, mb: Number(figures[3]) / 1024, status: run.status };
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const seconds = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const withMemory = (r) => `${seconds(r.ms)}${r.cpuMs === undefined ? '' : ` (CPU ${seconds(r.cpuMs)})`}${r.mb === undefined ? '' : `, ${r.mb.toFixed(0)} MB`}`;
const yesNo = (ok) => (ok ? 'yes' : 'no');

const dir = mkdtempSync(join(tmpdir(), 'hpm-bench-targets-'));
const loadBefore = load();
try {
  const file = (lines, messy) => {
    const path = join(dir, `${messy ? 'messy-' : ''}${lines}.cfg`);
    spawnSync(process.execPath, [join(root, 'bench/generate-realistic.mjs'), ...(messy ? ['--messy'] : []), String(lines), path], { stdio: 'ignore' });
    return path;
  };
  const small = file(1000, false);
  const large = file(108_000, false);
  const messy10k = file(10_000, true);
  const messy108k = file(108_000, true);
  const node = process.execPath;
  const lint = join(root, 'bin/hpm-lint.js');
  const fmt = join(root, 'bin/hpm-fmt.js');

  const jobs = {
    lint1k: [node, [lint, small]],
    lint108k: [node, [lint, large]],
    fmt10k: [node, [fmt, messy10k]],
    fmt108k: [node, [fmt, messy108k]],
  };
  if (haproxyVersion) {
    jobs.haproxy1k = ['haproxy', ['-c', '-q', '-f', small]];
    jobs.haproxy108k = ['haproxy', ['-c', '-q', '-f', large]];
  }
  const names = Object.keys(jobs);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 ? [...names].reverse() : names) samples[name].push(measure(...jobs[name]));
  }
  const result = {};
  for (const name of names) {
    const runs = samples[name];
    const known = (key) => {
      const values = runs.map((r) => r[key]).filter((v) => v !== undefined);
      return values.length ? median(values) : undefined;
    };
    result[name] = { ms: median(runs.map((r) => r.ms)), cpuMs: known('cpuMs'), mb: known('mb'), statuses: [...new Set(runs.map((r) => r.status))] };
  }

  const run = spawnSync(node, [join(root, 'bench/run.mjs'), '200', '9'], { encoding: 'utf8' });
  const supervisor = readRunBench(run.stdout ?? '');
  const loadAfter = load();

  const rows = [];
  const ratioRow = (measureName, hpm, haproxy, limit) => {
    if (!haproxy) return rows.push([measureName, withMemory(hpm), 'n/a', `<= ${limit}x`, 'not measured (no haproxy)']);
    const ratio = hpm.ms / haproxy.ms;
    rows.push([measureName, withMemory(hpm), withMemory(haproxy), `<= ${limit}x`, `${yesNo(ratio <= limit)} (${ratio.toFixed(2)}x)`]);
  };
  ratioRow('`hpm-lint` 108k lines / `haproxy -c`', result.lint108k, result.haproxy108k, 0.7);
  ratioRow('`hpm-lint` 1k lines, whole process / `haproxy -c`', result.lint1k, result.haproxy1k, 3);
  rows.push(['`hpm-fmt` 10k lines', withMemory(result.fmt10k), '—', '< 200 ms', yesNo(result.fmt10k.ms < 200)]);
  const fmtTime = result.fmt108k.ms < 500;
  const fmtMemory = result.fmt108k.mb !== undefined && result.fmt108k.mb < 300;
  rows.push(['`hpm-fmt` 108k lines', withMemory(result.fmt108k), '—', '< 500 ms, < 300 MB', fmtTime && fmtMemory ? 'yes' : `time ${yesNo(fmtTime)}, memory ${yesNo(fmtMemory)}`]);
  if (supervisor) {
    const ratio = supervisor.hpmStart / supervisor.haproxyStart;
    rows.push(['`hpm-run` 200 programs start / HAProxy 2.6 master', seconds(supervisor.hpmStart * 1000), seconds(supervisor.haproxyStart * 1000), '<= 1.6x', `${yesNo(ratio <= 1.6)} (${ratio.toFixed(2)}x)`]);
    const total = supervisor.hpmRss.reduce((a, b) => a + b, 0);
    rows.push(['`hpm-run` RSS with its fork server', `${supervisor.hpmRss.map((mb) => mb.toFixed(0)).join(' + ')} MB`, `${supervisor.haproxyRss.toFixed(0)} MB`, '< 64 MB', yesNo(total < 64)]);
  } else {
    rows.push(['`hpm-run` 200 programs start / HAProxy 2.6 master', 'not measured', '', '<= 1.6x', `bench/run.mjs said: ${(run.stderr || run.stdout || '').trim().split('\n').pop()}`]);
  }

  console.log(`node ${process.version}, haproxy ${haproxyVersion ?? 'not found'}, median of ${rounds} alternating runs (hpm-run: of 9); load average (1/5/15 min) ${loadBefore} before, ${loadAfter} after`);
  const odd = names.filter((n) => result[n].statuses.some((s) => s !== 0));
  if (odd.length) console.log(`exit codes other than 0: ${odd.map((n) => `${n} ${result[n].statuses.join('/')}`).join(', ')}`);
  console.log('');
  console.log('| measure | hpm | haproxy 2.6 | target | met? |');
  console.log('|---|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  if (supervisor?.haproxy32Start) {
    const ratio = supervisor.hpmStart / supervisor.haproxy32Start;
    console.log(`\nhpm-run's start against HAProxy 3.2's master (the last one that runs programs), same run: ${seconds(supervisor.hpmStart * 1000)} against ${seconds(supervisor.haproxy32Start * 1000)} (${ratio.toFixed(2)}x).`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * bench/run.mjs's table: per supervisor, start/reload/stop seconds then RSS MB, each a median
 * followed by a [range]; hpm-run's RSS is "node + fork server".
 */
function readRunBench(text) {
  const NAME_COLUMN = 20;
  const figures = (name) => {
    const line = text.split('\n').find((l) => l.startsWith(name));
    if (!line) return undefined;
    const numbers = line.slice(NAME_COLUMN).replace(/\[[^\]]*\]/g, '').match(/\d+(\.\d+)?/g)?.map(Number);
    return numbers && numbers.length >= 4 ? { start: numbers[0], rss: numbers.slice(3) } : undefined;
  };
  const hpm = figures('hpm-run ');
  const haproxy = figures('haproxy 2.6 ');
  const haproxy32 = figures('haproxy 3.2 ');
  if (!hpm || !haproxy) return undefined;
  return { hpmStart: hpm.start, hpmRss: hpm.rss, haproxyStart: haproxy.start, haproxyRss: haproxy.rss.reduce((a, b) => a + b, 0), haproxy32Start: haproxy32?.start };
}
