/**
 * Node's Chevrotain: its own single-file ESM build (`lib/chevrotain.mjs`, same version and API
 * as the package entry), loaded on first use. The package entry pulls ~650 modules and takes
 * ~0.5 s to import; the single file ~15 ms, and files whose lines are all easy
 * (grammar/fast-line.ts) never need it. The package exports only its entry, so the file is found
 * next to it, and loaded with require() (Node 20.19+ loads an ES module synchronously that way)
 * rather than a top-level await, which would keep CommonJS projects from require()ing hpm at all.
 *
 * Bundlers never see this file: package.json's `#chevrotain` import sends them (the `module`
 * condition) to the package entry, which they bundle like any other module (grammar/chevrotain.ts
 * tells the two apart by this module's `load`).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

type Chevrotain = typeof import('chevrotain');

let loaded: Chevrotain | undefined;

export function load(): Chevrotain {
  if (loaded === undefined) {
    const require = createRequire(import.meta.url);
    const entry = require.resolve('chevrotain'); // .../chevrotain/lib/src/api.js
    loaded = require(join(dirname(entry), '..', 'chevrotain.mjs')) as Chevrotain;
  }
  return loaded;
}
