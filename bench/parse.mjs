#!/usr/bin/env node
/**
 * Parser benchmark (not a test): for each config file, hpm's parse time, lines/s and peak RSS,
 * beside `haproxy -c` on the same file measured in the same run.
 *
 *   npm run build && node bench/parse.mjs [file ...]
 *
 * Without arguments: a generated 100k-line config (bench/generate.mjs) and, with HPM_CORPUS set to
 * a directory of real configurations (the corpus the tests use), its largest file. Each hpm figure comes from a fresh `node` child so peak RSS is that file's alone:
 *   - parse: parse() alone, in-process timer, one run (a second parse of the same text in the same
 *     process would reuse the first one's line shapes, see src/syntax/shape-reuse.ts);
 *   - load+model: readConfigSource + readConfig (decode, parse, program model), one run;
 *   - process: the whole child's wall time and peak RSS (node start, import, one load+model).
 * haproxy runs under /usr/bin/time -v (wall time, peak RSS), with -W when the file has programs;
 * its verdict is printed but does not matter.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist/src');

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4]);
} else {
  await main(process.argv.slice(2));
}

/**
 * Runs inside a fresh node and prints one JSON line. `parse`: parse() once (time, peak RSS of a
 * process that holds one AST). `load`: what a CLI does: read, decode, parse, build the model.
 */
async function child(mode, file) {
  const { parse } = await import(join(dist, 'syntax/index.js'));
  const { readConfig, readConfigSource } = await import(join(dist, 'model/index.js'));
  const source = readConfigSource(file);
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let lines;
  let programs = 0;
  let diagnostics;
  if (mode === 'parse') {
    const { ast } = parse(source.text, { file, env: process.env });
    lines = ast.lines.length;
    diagnostics = ast.diagnostics.length;
  } else {
    const loaded = readConfig([source], { env: process.env });
    lines = loaded.files[0].lines.length;
    programs = loaded.model.programs.length;
    diagnostics = loaded.diagnostics.length;
  }
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const total = process.resourceUsage();
  console.log(
    JSON.stringify({ lines, ms, cpuMs: (cpu.user + cpu.system) / 1000, processCpuMs: (total.userCPUTime + total.systemCPUTime) / 1000, programs, diagnostics, peakRssMb: total.maxRSS / 1024 }),
  );
}

function runChild(mode, file) {
  const started = performance.now();
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', mode, file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { ...JSON.parse(out.trim().split('\n').pop()), processMs: performance.now() - started };
}

/** Wall time (own timer), CPU time and peak RSS (from /usr/bin/time -v) of one command. */
function timed(command, args) {
  const started = performance.now();
  const r = spawnSync('/usr/bin/time', ['-v', command, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const wallMs = performance.now() - started;
  const err = r.stderr ?? '';
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(err);
  const user = /User time \(seconds\): ([\d.]+)/.exec(err);
  const system = /System time \(seconds\): ([\d.]+)/.exec(err);
  return {
    wallMs,
    cpuMs: user && system ? (Number(user[1]) + Number(system[1])) * 1000 : NaN,
    peakRssMb: rss ? Number(rss[1]) / 1024 : NaN,
    status: r.status,
    stdout: r.stdout ?? '',
  };
}

function haproxyCheck(file) {
  const hasPrograms = /^\s*program\s/m.test(readFileSync(file, 'latin1'));
  const args = ['-c', ...(hasPrograms ? ['-W'] : []), '-f', file];
  const t = timed('haproxy', args);
  return { ...t, command: `haproxy ${args.join(' ')}`, verdict: /Configuration file is valid/.test(t.stdout) ? 'valid' : `exit ${t.status}` };
}

/** The whole hpm-lint CLI on the file, when it is built. */
function hpmLint(file) {
  const bin = join(root, 'bin/hpm-lint.js');
  if (!existsSync(join(dist, 'cli/lint.js'))) return undefined;
  const t = timed(process.execPath, [bin, '--no-host-checks', '--format', 'json', file]);
  return t.status === 0 || t.status === 1 ? t : undefined;
}

function haproxyAvailable() {
  try {
    execFileSync('haproxy', ['-v'], { stdio: 'ignore' });
    return existsSync('/usr/bin/time');
  } catch {
    return false;
  }
}

async function main(files) {
  if (!existsSync(join(dist, 'syntax/index.js'))) {
    console.error('bench/parse.mjs: run `npm run build` first (it reads dist/)');
    process.exit(2);
  }
  if (files.length === 0) {
    const generated = join(tmpdir(), 'hpm-bench-100k.cfg');
    if (!existsSync(generated)) execFileSync(process.execPath, [join(root, 'bench/generate.mjs'), '100000', generated], { stdio: 'inherit' });
    files.push(generated);
    const corpus = process.env.HPM_CORPUS;
    if (corpus && existsSync(corpus)) {
      const largest = readdirSync(corpus)
        .map((name) => join(corpus, name))
        .filter((path) => statSync(path).isFile() && !path.endsWith('.tsv'))
        .sort((a, b) => statSync(b).size - statSync(a).size)[0];
      if (largest) files.push(largest);
    }
  }
  const withHaproxy = haproxyAvailable();
  if (!withHaproxy) console.log('(haproxy or /usr/bin/time not found: hpm figures only)');
  for (const file of files) {
    const sizeMb = statSync(file).size / 1048576;
    const parsed = runChild('parse', file);
    const loaded = runChild('load', file);
    console.log(`\n${file}\n  ${parsed.lines} lines, ${sizeMb.toFixed(1)} MB, ${loaded.programs} programs, ${loaded.diagnostics} hpm diagnostics`);
    const row = (what, ms, cpuMs, rss) =>
      console.log(`  ${what.padEnd(40)} wall ${ms.toFixed(0).padStart(5)} ms  cpu ${cpuMs.toFixed(0).padStart(5)} ms${rss === undefined ? '' : `  peak RSS ${rss.toFixed(0).padStart(4)} MB`}`);
    row(`hpm parse() (${Math.round(parsed.lines / (parsed.cpuMs / 1000)).toLocaleString('en-US')} lines/cpu-s)`, parsed.ms, parsed.cpuMs, parsed.peakRssMb);
    row('hpm read+parse+model', loaded.ms, loaded.cpuMs);
    row('hpm whole node process (read+model)', loaded.processMs, loaded.processCpuMs, loaded.peakRssMb);
    const lint = existsSync('/usr/bin/time') ? hpmLint(file) : undefined;
    if (lint) row(`hpm-lint --no-host-checks (exit ${lint.status})`, lint.wallMs, lint.cpuMs, lint.peakRssMb);
    if (withHaproxy) {
      const h = haproxyCheck(file);
      row(`${h.command.replace(file, '<file>')} (${h.verdict})`, h.wallMs, h.cpuMs, h.peakRssMb);
    }
  }
}
