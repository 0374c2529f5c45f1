#!/usr/bin/env node
import module from 'node:module';
import { Worker } from 'node:worker_threads';

// Node 22.1+ keeps V8's compiled code of the bundle between runs (start-up); Node 20 has no such cache.
module.enableCompileCache?.();
// The configuration loader's thread boots first (a worker thread takes ~30 ms to start on 2 cores),
// while the rest of hpm-run loads and reads its arguments; it then waits for its first request,
// or is let go when no load is needed (--help, -c, --haproxy). See src/run/config-loader.ts.
const loaderThread = new Worker(new URL('../dist/bin/config-loader-worker.cjs', import.meta.url), { stdout: false, stderr: false });
loaderThread.unref();
loaderThread.on('error', () => undefined); // a thread that died booting is replaced by a new one
const { main } = await import('../dist/bin/hpm-run.js');

main(process.argv.slice(2), { loaderThread }).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`hpm-run: internal error: ${error?.stack ?? error}`);
    process.exitCode = 2;
  },
);
