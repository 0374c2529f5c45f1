#!/usr/bin/env node
/**
 * hpm-lint benchmark (not a test): lints generated 1k- and 108k-line configurations with the
 * built CLI and prints wall time and peak RSS, beside `haproxy -c -q -f` on the same files.
 *
 *   npm run build && node bench/lint.mjs [lines...]      (default: 1000 108000)
 *
 * Files come from bench/generate-realistic.mjs (the mix the targets are measured on) in a temp
 * dir that is removed at the end. The commands take turns, ROUNDS times (HPM_BENCH_ROUNDS,
 * default 5), and each figure is the median. Peak RSS is measured by GNU time when present
 * (/usr/bin/time -f %M).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
if (sizes.length === 0) sizes.push(1000, 108_000);
const rounds = Number(process.env.HPM_BENCH_ROUNDS ?? 5);
if (!existsSync(join(root, 'dist/src/cli/lint.js'))) {
  console.error('run `npm run build` first');
  process.exit(2);
}
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const haproxy = spawnSync('haproxy', ['-v'], { encoding: 'utf8' }).status === 0 ? 'haproxy' : undefined;

/** Runs a command and returns wall ms, peak RSS in MB (if measurable) and its exit code. */
function measure(command, args) {
  const started = process.hrtime.bigint();
  const run = gnuTime
    ? spawnSync(gnuTime, ['-f', '%M', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 })
    : spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const kb = gnuTime ? Number(/(\d+)\s*$/.exec(run.stderr)?.[1]) : NaN;
  return { ms, rssMb: Number.isFinite(kb) ? kb / 1024 : undefined, status: run.status };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const dir = mkdtempSync(join(tmpdir(), 'hpm-lint-bench-'));
try {
  const rows = [];
  for (const lines of sizes) {
    const file = join(dir, `bench-${lines}.cfg`);
    spawnSync(process.execPath, [join(root, 'bench/generate-realistic.mjs'), String(lines), file], { stdio: 'ignore' });
    const tools = [
      ['hpm-lint (both readers)', process.execPath, [join(root, 'bin/hpm-lint.js'), '--no-host-checks', '--format', 'json', file]],
      ['hpm-lint --view haproxy', process.execPath, [join(root, 'bin/hpm-lint.js'), '--no-host-checks', '--view', 'haproxy', '--format', 'json', file]],
      ...(haproxy ? [['haproxy -c -q -f', haproxy, ['-c', '-q', '-f', file]]] : []),
    ];
    const runs = new Map(tools.map(([tool]) => [tool, []]));
    for (let round = 0; round < rounds; round++) {
      for (const [tool, command, args] of round % 2 ? [...tools].reverse() : tools) runs.get(tool).push(measure(command, args));
    }
    for (const [tool, results] of runs) {
      const rss = results.map((r) => r.rssMb).filter((mb) => mb !== undefined);
      rows.push({ tool, lines, ms: median(results.map((r) => r.ms)), rssMb: rss.length ? median(rss) : undefined, status: results[0].status });
    }
  }
  console.log(`median of ${rounds} alternating runs; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log('tool                       lines      ms   peak RSS MB  exit');
  for (const r of rows) {
    console.log(`${r.tool.padEnd(26)} ${String(r.lines).padStart(6)} ${r.ms.toFixed(0).padStart(7)} ${(r.rssMb === undefined ? 'n/a' : r.rssMb.toFixed(0)).padStart(13)} ${String(r.status).padStart(5)}`);
  }
  if (!haproxy) console.log('(haproxy not found: no comparison)');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
