/**
 * Node's Chevrotain: its own single-file ESM build (`lib/chevrotain.mjs`, same version and API
 * as the package entry). The package entry pulls ~650 modules and takes ~0.5 s to import; the
 * single file ~30 ms, which is most of hpm-lint's start-up on small files. The package exports
 * only its entry, so the file is found next to it, and loaded with require() (Node 20.19+ loads
 * an ES module synchronously that way) rather than a top-level await, which would keep CommonJS
 * projects from require()ing hpm at all.
 *
 * Bundlers never see this file: package.json's `#chevrotain` import sends them (the `module`
 * condition) to the package entry, which they bundle like any other module.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

type Chevrotain = typeof import('chevrotain');

const require = createRequire(import.meta.url);
const entry = require.resolve('chevrotain'); // .../chevrotain/lib/src/api.js
const build: Chevrotain = require(join(dirname(entry), '..', 'chevrotain.mjs'));

// The parts hpm uses; a new one is added here and read through `chevrotain.X` as before.
export const { CstParser, EOF, Lexer, createToken } = build;
