#!/usr/bin/env node
/**
 * hpm-fmt's own time, start-up left out (Prettier + the hpm plugin, from dist/: run
 * `npm run build` first) on the realistic mix of bench/generate-realistic.mjs at 1k, 10k and 108k
 * lines: parse alone, formatting a messy file (every line changes) and formatting a formatted one
 * (what `--check` does on a clean tree). Whole-process figures, start-up included, are in
 * bench/targets.mjs.
 *
 *   node bench/format.mjs [sizes...]        (default: 1000 10000 108000)
 *
 * Each measure runs in a fresh node (modules loaded and warmed up on a small file first, then one
 * timed call), so that no run inherits another's heap or the parser's memory of a text it has
 * just read. The jobs take turns; each figure is the median of 5 runs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = 5;

if (process.argv[2] === '--child') {
  const [job, file] = process.argv.slice(3);
  const { formatConfigText } = await import(join(root, 'dist/src/format/format.js'));
  const { parse } = await import(join(root, 'dist/src/syntax/index.js'));
  await formatConfigText('global\n daemon\n'); // warm-up: Prettier and the plugin loaded and run once
  const text = readFileSync(file, 'utf8');
  const start = process.hrtime.bigint();
  if (job === 'parse') parse(text);
  else await formatConfigText(text);
  console.log(Number(process.hrtime.bigint() - start) / 1e6);
} else {
  await main(process.argv.length > 2 ? process.argv.slice(2).map(Number) : [1000, 10_000, 108_000]);
}

async function main(sizes) {
  const work = mkdtempSync(join(tmpdir(), 'hpm-bench-format-'));
  const generate = (size, messy) => {
    const file = join(work, `${messy ? 'messy-' : ''}${size}.cfg`);
    execFileSync(process.execPath, [join(root, 'bench/generate-realistic.mjs'), ...(messy ? ['--messy'] : []), String(size), file], { stdio: 'ignore' });
    return file;
  };
  const timed = (job, file) => Number(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', job, file], { encoding: 'utf8' }));
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  console.log(`node ${process.version}, ${process.platform}/${process.arch}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log('| lines | bytes | parse only | format (messy input) | format (formatted input, i.e. --check) | ms per 1k lines (messy) |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  try {
    for (const size of sizes) {
      const messy = generate(size, true);
      const clean = generate(size, false);
      const jobs = [
        ['parse', messy],
        ['format', messy],
        ['check', clean],
      ];
      const times = new Map(jobs.map(([job]) => [job, []]));
      for (let run = 0; run < RUNS; run++) {
        for (const [job, file] of run % 2 ? [...jobs].reverse() : jobs) times.get(job).push(timed(job === 'check' ? 'format' : job, file));
      }
      const [parseMs, formatMs, checkMs] = jobs.map(([job]) => median(times.get(job)));
      const lines = readFileSync(clean, 'utf8').split('\n').length - 1;
      const perK = (formatMs / lines) * 1000;
      console.log(`| ${lines} | ${Buffer.byteLength(readFileSync(messy))} | ${parseMs.toFixed(0)} ms | ${formatMs.toFixed(0)} ms | ${checkMs.toFixed(0)} ms | ${perK.toFixed(1)} |`);
    }
    console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
