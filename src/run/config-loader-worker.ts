/**
 * The loader thread (config-loader.ts): loads the configuration described by a LoadRequest and
 * posts the LoadResult back as JSON (the diagnostics' lazy spans serialise through JSON, not
 * through structured clone). The request comes as `workerData`, or, for a thread started before
 * hpm-run read its arguments, as the first message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadRunConfig } from './config.js';
import type { LoadRequest } from './config-loader.js';

const load = (request: LoadRequest): void => parentPort!.postMessage(JSON.stringify(loadRunConfig(request.paths, request.env, undefined, request.options)));

if (workerData) load(workerData as LoadRequest);
else parentPort!.once('message', load);
