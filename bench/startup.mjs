#!/usr/bin/env node
/**
 * hpm-lint against `haproxy -c -q -f`, whole process, on the same file: alternating runs (so a
 * change in machine load hits both alike), median wall time of each, and their ratio.
 *
 *   node bench/startup.mjs [file...] [--runs N] [--haproxy PATH]
 *
 * Default files: generated configurations of 1k and 108k lines (bench/generate.mjs) in a
 * temporary directory. Prints the load average too: figures from a busy machine are not
 * comparable with a quiet one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const [, value] = args.splice(i, 2);
  return value;
};
const runs = Number(option('--runs', 11));
const haproxy = option('--haproxy', '/usr/sbin/haproxy');
let files = args;
let scratch;
if (files.length === 0) {
  scratch = mkdtempSync(join(tmpdir(), 'hpm-startup-'));
  files = [1000, 108000].map((n) => {
    const out = join(scratch, `generated-${n}.cfg`);
    spawnSync(process.execPath, [join(root, 'bench', 'generate.mjs'), String(n), out], { stdio: 'ignore' });
    return out;
  });
}

function timeRun(command, argv) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status === null) throw new Error(`${command} died: ${result.signal}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const hasHaproxy = existsSync(haproxy);
console.log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')}${hasHaproxy ? '' : ` (no ${haproxy}: hpm-lint alone)`}`);
for (const file of files) {
  const lint = [];
  const ha = [];
  // One warm-up each (page cache, Node's compile cache), then alternating runs.
  timeRun(process.execPath, [join(root, 'bin', 'hpm-lint.js'), file]);
  if (hasHaproxy) timeRun(haproxy, ['-c', '-q', '-f', file]);
  for (let i = 0; i < runs; i++) {
    lint.push(timeRun(process.execPath, [join(root, 'bin', 'hpm-lint.js'), file]));
    if (hasHaproxy) ha.push(timeRun(haproxy, ['-c', '-q', '-f', file]));
  }
  const l = median(lint);
  const line = `${file}: hpm-lint ${l.toFixed(0)} ms`;
  if (hasHaproxy) {
    const h = median(ha);
    console.log(`${line}, haproxy -c ${h.toFixed(0)} ms, ratio ${(l / h).toFixed(2)}x (median of ${runs})`);
  } else console.log(`${line} (median of ${runs})`);
}
console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
if (scratch) rmSync(scratch, { recursive: true, force: true });
