#!/usr/bin/env node
/**
 * hpm-run versus HAProxy's master on 200 programs (`sleep 1000`): time until all are forked and
 * running, a reload (all replaced), a stop (SIGTERM until exit), and the supervisor's RSS.
 * Not a test. Usage: npm run build && node bench/run.mjs [programs=200] [rounds=1]
 * With HPM_HAPROXY_3_2=<path of an HAProxy 3.2 binary>, its master is measured too.
 * With several rounds the supervisors take turns (so a busy machine slows each alike) and each
 * figure is the median, with the range in brackets. Every process it starts carries
 * HPM_BENCH_TAG and is killed at the end.
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const COUNT = Number(process.argv[2] ?? 200);
const ROUNDS = Number(process.argv[3] ?? 1);
const ROOT = resolve(import.meta.dirname, '..');
const TAG = `bench${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'hpm-run-bench-'));
const cfg = join(dir, 'haproxy.cfg');
const programs = Array.from({ length: COUNT }, (_, i) => `program p${i}\n    command sleep 1000\n`).join('');
writeFileSync(cfg, `global\n    master-worker\n${programs}`);
// HAProxy 3.1 and 3.2 run programs only with the deprecated directives exposed (2.6 does not know the keyword).
const cfg32 = join(dir, 'haproxy-3.2.cfg');
writeFileSync(cfg32, `global\n    master-worker\n    expose-deprecated-directives\n${programs}`);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
const childrenOf = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
};
const isSleep = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('sleep\0');
  } catch {
    return false;
  }
};

function launch(command, args) {
  const child = spawn(command, args, { env: { ...process.env, HPM_BENCH_TAG: TAG }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (c) => (err += c));
  const exited = new Promise((r) => child.on('close', r));
  return { child, exited, count: (re) => (err.match(re) ?? []).length };
}

async function until(predicate, what, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timeout: ${what}`);
    await sleep(2);
  }
}

async function measure(name, command, args, supervisorPids) {
  const t0 = performance.now();
  const run = launch(command, args);
  const sleeping = () => supervisorPids(run.child.pid).flatMap(childrenOf).filter(isSleep).length;
  await until(() => run.count(/New program/g) >= COUNT && sleeping() >= COUNT, 'all forked and running');
  const start = performance.now() - t0;
  await sleep(500);
  const rss = supervisorPids(run.child.pid).map(rssKb);
  const t1 = performance.now();
  run.child.kill('SIGUSR2');
  await until(() => run.count(/New program/g) >= 2 * COUNT && run.count(/Former program/g) >= COUNT, 'reload done');
  const reload = performance.now() - t1;
  await sleep(500);
  const t2 = performance.now();
  run.child.kill('SIGTERM');
  await run.exited;
  const stop = performance.now() - t2;
  return { name, start, reload, stop, rss };
}

function cleanup() {
  for (const p of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      if (readFileSync(`/proc/${p}/environ`).includes(`HPM_BENCH_TAG=${TAG}`)) process.kill(Number(p), 'SIGKILL');
    } catch {
      // gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

const results = [];
try {
  // The supervisor alone (src/run/supervisor.js + signals, none of the operations modules).
  const core = join(dir, 'core.mjs');
  writeFileSync(
    core,
    `import { Supervisor } from ${JSON.stringify(join(ROOT, 'dist/src/run/supervisor.js'))};
import { installSignalHandlers } from ${JSON.stringify(join(ROOT, 'dist/src/run/signals.js'))};
const sup = new Supervisor({ configPaths: [process.argv[2]] });
const off = installSignalHandlers(sup);
await sup.start();
process.exitCode = await sup.done;
off();
`,
  );
  let haproxy = true;
  try {
    execFileSync('haproxy', ['-v'], { stdio: 'ignore' });
  } catch {
    haproxy = false;
  }
  for (let round = 0; round < ROUNDS; round++) {
    // hpm-run: programs are children of its fork server (a child of node).
    results.push(await measure('hpm-run', process.execPath, [join(ROOT, 'bin/hpm-run.js'), cfg], (pid) => [pid, ...childrenOf(pid)]));
    results.push(await measure('supervisor core', process.execPath, [core, cfg], (pid) => [pid, ...childrenOf(pid)]));
    if (haproxy) results.push(await measure('haproxy 2.6 master', 'haproxy', ['-W', '-db', '-f', cfg], (pid) => [pid]));
    // 3.2 is the last HAProxy whose master runs programs (3.3 removed them).
    if (process.env.HPM_HAPROXY_3_2) results.push(await measure('haproxy 3.2 master', process.env.HPM_HAPROXY_3_2, ['-W', '-db', '-f', cfg32], (pid) => [pid]));
  }
} finally {
  cleanup();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const figure = (xs, text) => (xs.length === 1 ? text(xs[0]) : `${text(median(xs))} [${text(Math.min(...xs))}-${text(Math.max(...xs))}]`);
const s = (ms) => (ms / 1000).toFixed(3);
const mb = (kb) => (kb / 1024).toFixed(1);
console.log(`${COUNT} programs (sleep 1000), ${ROUNDS} round(s); seconds, MB`);
console.log('supervisor           start                  reload                 stop                   RSS');
for (const name of [...new Set(results.map((r) => r.name))]) {
  const rs = results.filter((r) => r.name === name);
  const col = (key) => figure(rs.map((r) => r[key]), s).padEnd(22);
  const rss = rs[0].rss.map((_, i) => figure(rs.map((r) => r.rss[i]), mb)).join(' + ');
  console.log(`${name.padEnd(20)} ${col('start')} ${col('reload')} ${col('stop')} ${rss}`);
}
