#!/usr/bin/env node
/**
 * One file per command (dist/bin/hpm-*.js), bundled by esbuild from tsc's output: Node then
 * resolves and compiles one module instead of ~150 at start-up, which is most of a small file's
 * lint time. Dependencies stay outside (loaded from node_modules, and only when needed: yargs for
 * help and rare argument forms, chalk and code-frame when there is output, Chevrotain for lines
 * the easy-line scanner declines). The library entry points (dist/src/**) are not bundled: the API
 * and the Prettier plugin keep their files.
 *
 * hpm-run is bundled apart, split at its dynamic imports (dist/bin/run-*.js chunks beside it):
 * what runs before the first load is requested is then a small module, and the supervisor's code
 * compiles while the loader thread reads the files. The loader thread is one CommonJS file
 * (dist/bin/config-loader-worker.cjs): a worker boots ~4 ms sooner on CommonJS than on an ES
 * module graph, and its boot is what hpm-run's first fork waits for.
 *
 *   node scripts/bundle-bins.mjs        (run by `npm run build`, after tsc)
 */
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const common = {
  absWorkingDir: root,
  outdir: join(root, 'dist', 'bin'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  // Node's conditions, not bundlers' `module`: `#chevrotain` is then the lazily loaded single-file build.
  conditions: ['node'],
  logLevel: 'warning',
};
const entries = (map) => Object.fromEntries(Object.entries(map).map(([name, file]) => [name, join(root, file)]));

await Promise.all([
  build({
    ...common,
    entryPoints: entries({
      'hpm-lint': 'dist/src/cli/lint.js',
      'hpm-fmt': 'dist/src/cli/fmt.js',
      'hpm-lsp': 'dist/src/cli/lsp.js',
    }),
  }),
  build({
    ...common,
    entryPoints: entries({ 'hpm-run': 'dist/src/cli/run.js' }),
    splitting: true,
    chunkNames: 'run-[name]-[hash]',
  }),
  build({
    ...common,
    // started as a worker from the file beside the module that starts it (config-loader.ts)
    entryPoints: entries({ 'config-loader-worker': 'dist/src/run/config-loader-worker.js' }),
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    // The modules locate files and load chevrotain relative to import.meta.url.
    define: { 'import.meta.url': 'importMetaUrl' },
    // ("use strict" first: a directive counts only at the top, and the modules were written as strict ES modules.)
    banner: { js: '"use strict";\nconst importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  }),
]);
