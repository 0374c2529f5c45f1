/**
 * Loading a configuration in a short-lived worker thread: the parser and the lint rules (about
 * 30 MB with chevrotain) live in the worker's own V8 heap, which is thrown away once the
 * LoadResult is back, so the supervisor stays small however long it runs (HAProxy's master
 * re-executes itself at each reload for the same reason). A thread rather than a process: it
 * skips a Node start (~90 ms on 2 cores) at each load, for ~7 MB of RSS the allocator keeps.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LoadResult, RunLoadOptions } from './spec.js';

export interface LoadRequest {
  paths: string[];
  env: Record<string, string>;
  options?: RunLoadOptions;
}

// The bundled bins ship the worker as one CommonJS file (it boots sooner); the library's
// compiled modules have it as an ES module beside this one.
const WORKER = ['./config-loader-worker.cjs', './config-loader-worker.js'].map((name) => fileURLToPath(new URL(name, import.meta.url))).find(existsSync) ?? '';

function requestOf(paths: readonly string[], env: Readonly<Record<string, string | undefined>>, options: RunLoadOptions = {}): LoadRequest {
  const plainEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) plainEnv[k] = v;
  return { paths: [...paths], env: plainEnv, ...(Object.keys(options).length > 0 ? { options } : {}) };
}

function sameRequest(a: LoadRequest, b: LoadRequest): boolean {
  if (a.paths.length !== b.paths.length || a.paths.some((path, i) => path !== b.paths[i])) return false;
  if (JSON.stringify(a.options ?? {}) !== JSON.stringify(b.options ?? {})) return false;
  const keys = Object.keys(a.env);
  return keys.length === Object.keys(b.env).length && keys.every((k) => b.env[k] === a.env[k]);
}

/** A load started ahead of its request (see startLoadingEarly). */
let early: { request: LoadRequest; result: Promise<LoadResult> } | undefined;

/**
 * A loader thread started before its request: bin/hpm-run.js starts one before it loads the rest
 * of hpm-run, which saves the thread's boot (~30 ms) on the way to the first fork. It runs
 * the loader worker without workerData and waits for a LoadRequest message.
 */
let booted: Worker | undefined;

/** Hands over a thread started early; the next load uses it. */
export function adoptLoaderThread(thread: Worker): void {
  releaseLoaderThread();
  booted = thread;
}

/** Lets go of a thread started early that no load used (no load was needed, or it went another way). */
export function releaseLoaderThread(): void {
  void booted?.terminate();
  booted = undefined;
}

/**
 * Starts hpm-run's first load before the supervisor asks for it, so that the loader thread reads
 * the files while the main thread loads the supervisor's modules and starts the fork server. The
 * next loadRunConfigInChild with the same paths and environment takes this result; any other
 * request (or a later one: a reload) loads afresh.
 */
export function startLoadingEarly(paths: readonly string[], env: Readonly<Record<string, string | undefined>>): void {
  const request = requestOf(paths, env);
  early = { request, result: loadInWorker(request, env) };
}

export function loadRunConfigInChild(paths: readonly string[], env: Readonly<Record<string, string | undefined>>, options: RunLoadOptions = {}): Promise<LoadResult> {
  const request = requestOf(paths, env, options);
  const started = early;
  early = undefined;
  if (started && sameRequest(started.request, request)) return started.result;
  return loadInWorker(request, env);
}

function loadInWorker(request: LoadRequest, env: Readonly<Record<string, string | undefined>>): Promise<LoadResult> {
  if (!WORKER) {
    // Running from the TypeScript sources (vitest): there is no compiled worker to start.
    releaseLoaderThread();
    return import('./config.js').then(({ loadRunConfig }) => loadRunConfig(request.paths, env, undefined, request.options));
  }
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: LoadResult): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const ready = booted;
    booted = undefined;
    // threadId is -1 once a thread has stopped (it died booting): a new one then.
    const worker = ready && ready.threadId !== -1 ? ready : new Worker(WORKER, { workerData: request, stdout: false, stderr: false });
    if (worker === ready) {
      worker.ref(); // started unref'd so that it held no exit while unused
      worker.postMessage(request);
    } else void ready?.terminate();
    const failed = (why: string): void => {
      if (settled) return;
      // A thread started early that dies before it answers (it failed to boot): the load is
      // done again in a new one, whose failure, if any, is the one reported.
      if (worker === ready) {
        settled = true;
        resolve(loadInWorker(request, env));
        return;
      }
      settle({ ok: false, diagnostics: [], fatal: `Cannot load the configuration: ${why}` });
    };
    worker.once('message', (json: string) => {
      try {
        settle(JSON.parse(json) as LoadResult);
      } catch (error) {
        failed((error as Error).message);
      }
      void worker.terminate(); // its heap (the parser, the ASTs) goes now
    });
    worker.once('error', (error) => failed(error.message));
    worker.once('exit', (code) => failed(`the loader exited with code ${code}`));
  });
}
