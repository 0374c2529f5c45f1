#!/usr/bin/env node
/**
 * hpm-fmt's time inside one process (Prettier + the hpm plugin, from dist/: run `npm run build`
 * first) on the realistic mix of bench/generate-realistic.mjs at 1k, 10k and 108k lines: parse
 * alone, formatting a messy file (every line changes) and formatting a formatted one (what
 * `--check` does on a clean tree). Whole-process figures, start-up included, are in
 * bench/targets.mjs.
 *
 *   node bench/format.mjs [sizes...]        (default: 1000 10000 108000)
 *
 * Each figure is the median of several runs. Every run gets a text of its own (a comment line
 * with the run's number): the parser reuses the line shapes of a text it has just read, which
 * would flatter a second run of the same text.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { formatConfigText } = await import(join(root, 'dist/src/format/format.js'));
const { parse } = await import(join(root, 'dist/src/syntax/index.js'));

const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [1000, 10_000, 108_000];
const work = mkdtempSync(join(tmpdir(), 'hpm-bench-format-'));

function generate(size, messy) {
  const file = join(work, `${messy ? 'messy-' : ''}${size}.cfg`);
  execFileSync(process.execPath, [join(root, 'bench/generate-realistic.mjs'), ...(messy ? ['--messy'] : []), String(size), file], { stdio: 'ignore' });
  return readFileSync(file, 'utf8');
}

let runNumber = 0;
async function medianMs(runs, text, job) {
  const times = [];
  for (let r = 0; r < runs; r++) {
    const own = `# run ${runNumber++}\n${text}`;
    const start = process.hrtime.bigint();
    await job(own);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

console.log(`node ${process.version}, ${process.platform}/${process.arch}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('| lines | bytes | parse only | format (messy input) | format (formatted input, i.e. --check) | ms per 1k lines (messy) |');
console.log('|---:|---:|---:|---:|---:|---:|');
try {
  await formatConfigText('global\n daemon\n'); // warm-up: load Prettier and the plugin
  for (const size of sizes) {
    const messy = generate(size, true);
    const clean = generate(size, false);
    const lines = clean.split('\n').length - 1;
    const runs = size >= 100_000 ? 3 : 7;
    const parseMs = await medianMs(runs, messy, (text) => parse(text));
    const formatMs = await medianMs(runs, messy, (text) => formatConfigText(text));
    const checkMs = await medianMs(runs, clean, (text) => formatConfigText(text));
    const perK = (formatMs / lines) * 1000;
    console.log(`| ${lines} | ${Buffer.byteLength(messy)} | ${parseMs.toFixed(0)} ms | ${formatMs.toFixed(0)} ms | ${checkMs.toFixed(0)} ms | ${perK.toFixed(1)} |`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
