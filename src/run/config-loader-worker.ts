/**
 * The loader thread (config-loader.ts): loads the configuration described by `workerData` (a
 * LoadRequest) and posts the LoadResult back as JSON (the diagnostics' lazy spans serialise
 * through JSON, not through structured clone).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadRunConfig } from './config.js';
import type { LoadRequest } from './config-loader.js';

const request = workerData as LoadRequest;
parentPort!.postMessage(JSON.stringify(loadRunConfig(request.paths, request.env)));
