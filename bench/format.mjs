#!/usr/bin/env node
/**
 * Format time of hpm-fmt (Prettier + the hpm plugin, from dist/: run `npm run build` first) on
 * generated configurations of 1k, 10k and 100k lines (bench/generate.mjs), re-indented messily so
 * that every line changes. Prints a Markdown table for docs/format.md.
 *
 *   node bench/format.mjs [sizes...]        (default: 1000 10000 100000)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { formatConfigText } = await import(join(root, 'dist/src/format/format.js'));
const { parse } = await import(join(root, 'dist/src/syntax/index.js'));

const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [1000, 10_000, 100_000];
const work = mkdtempSync(join(tmpdir(), 'hpm-bench-format-'));
const INDENTS = ['', ' ', '\t', '        ', '  \t'];

/** Every line re-indented and given trailing blanks; blank runs doubled: nothing is canonical. */
function messUp(text) {
  return text
    .split('\n')
    .map((line, i) => (line.trim() === '' ? '\n' : INDENTS[i % INDENTS.length] + line.trimStart() + (i % 3 === 0 ? '   ' : '')))
    .join('\n');
}

function time(fn) {
  const start = process.hrtime.bigint();
  const result = fn();
  return { result, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}
async function timeAsync(fn) {
  const start = process.hrtime.bigint();
  const result = await fn();
  return { result, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
console.log('| lines | bytes | parse only | format (messy input) | format (formatted input, i.e. --check) | ms per 1k lines |');
console.log('|---:|---:|---:|---:|---:|---:|');
try {
  await formatConfigText('global\n daemon\n'); // warm-up: load Prettier and the plugin
  for (const size of sizes) {
    const file = join(work, `${size}.cfg`);
    execFileSync(process.execPath, [join(root, 'bench/generate.mjs'), String(size), file], { stdio: 'ignore' });
    const messy = messUp(readFileSync(file, 'utf8'));
    const lines = messy.split('\n').length - 1;
    const runs = size >= 100_000 ? 1 : 3;
    let parseMs = Infinity;
    let formatMs = Infinity;
    let checkMs = Infinity;
    let formatted = '';
    for (let r = 0; r < runs; r++) {
      parseMs = Math.min(parseMs, time(() => parse(messy)).ms);
      const f = await timeAsync(() => formatConfigText(messy));
      formatted = f.result;
      formatMs = Math.min(formatMs, f.ms);
      checkMs = Math.min(checkMs, (await timeAsync(() => formatConfigText(formatted))).ms);
    }
    const perK = (formatMs / lines) * 1000;
    console.log(`| ${lines} | ${Buffer.byteLength(messy)} | ${parseMs.toFixed(0)} ms | ${formatMs.toFixed(0)} ms | ${checkMs.toFixed(0)} ms | ${perK.toFixed(1)} |`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
