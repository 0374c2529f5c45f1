#!/usr/bin/env node
/**
 * What the keyword catalogue costs hpm-lint (not a test), on a generated configuration
 * (bench/generate.mjs, 100k lines by default):
 *  1. `hpm-lint --view haproxy` in turns with and without the keyword rules (the keyword/* rules
 *     and the version-aware syntax/keyword-out-of-section), medians of the wall times;
 *  2. the keyword checks alone, timed in this process on the parsed file (so the machine's load
 *     moves this figure far less than the difference of two wall times);
 *  3. the one-time load of the catalogue (JSON parse and module evaluation).
 *
 *   npm run build && node bench/keywords.mjs [lines] [rounds]     (default: 100000 5)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lines = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 5);
if (!existsSync(join(root, 'dist/src/lint/index.js'))) {
  console.error('run `npm run build` first');
  process.exit(2);
}
const load = (path) => import(pathToFileURL(join(root, 'dist/src', path)).href);

let started = process.hrtime.bigint();
await load('model/keywords/index.js');
const catalogueMs = Number(process.hrtime.bigint() - started) / 1e6;
const { RULES } = await load('lint/index.js');
const { parseFiles } = await load('syntax/index.js');
const { buildModel } = await load('model/index.js');

const keywordChecks = RULES.filter((r) => r.meta.id.startsWith('keyword/') || r.meta.id === 'syntax/keyword-out-of-section');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const range = (xs) => `${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)}`;

const dir = mkdtempSync(join(tmpdir(), 'hpm-keywords-bench-'));
try {
  const file = join(dir, `bench-${lines}.cfg`);
  spawnSync(process.execPath, [join(root, 'bench/generate.mjs'), String(lines), file], { stdio: 'ignore' });

  const cli = (off) => {
    const args = [join(root, 'bin/hpm-lint.js'), '--no-host-checks', '--haproxy-version', '2.6', '-W', '--view', 'haproxy', '--format', 'json'];
    for (const rule of off ? keywordChecks : []) args.push('--rule', `${rule.meta.id}=off`);
    const t = process.hrtime.bigint();
    spawnSync(process.execPath, [...args, file], { stdio: 'ignore' });
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const withRuns = [];
  const withoutRuns = [];
  for (let i = 0; i < rounds; i++) {
    withoutRuns.push(cli(true));
    withRuns.push(cli(false));
  }

  const { files, diagnostics } = parseFiles([{ file, text: readFileSync(file, 'utf8') }], { env: {} });
  const model = buildModel(files);
  const checkRuns = [];
  for (let i = 0; i < rounds + 1; i++) {
    // A fresh files array: the keyword rules' placement is computed once per reader's files.
    const context = { view: 'haproxy', files: [...files], model, parserDiagnostics: diagnostics, haproxyVersion: '2.6', masterWorker: true, env: {}, report() {} };
    const t = process.hrtime.bigint();
    for (const rule of keywordChecks) rule.check(context);
    checkRuns.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  checkRuns.shift(); // the first one warms the JIT up

  const a = median(withRuns);
  const b = median(withoutRuns);
  const checks = median(checkRuns);
  console.log(`hpm-lint --view haproxy --haproxy-version 2.6 on ${lines} lines, ${rounds} turns each (wall ms, median and range)`);
  console.log(`  with the keyword rules       ${a.toFixed(0).padStart(6)}   (${range(withRuns)})`);
  console.log(`  without the keyword rules    ${b.toFixed(0).padStart(6)}   (${range(withoutRuns)})`);
  console.log(`  difference                   ${(a - b).toFixed(0).padStart(6)}   = ${(((a - b) / a) * 100).toFixed(1)}% (moves with the machine's load)`);
  console.log(`  keyword checks alone         ${checks.toFixed(1).padStart(6)}   (${range(checkRuns)}) = ${((checks / a) * 100).toFixed(1)}% of hpm-lint's time`);
  console.log(`  catalogue load, once         ${catalogueMs.toFixed(1).padStart(6)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
