/**
 * Chevrotain, loaded from its own single-file ESM bundle (`lib/chevrotain.mjs`, same version and
 * API as the package entry). The package entry pulls ~650 modules and takes ~0.5 s to import;
 * the bundle ~30 ms, which is most of hpm-lint's start-up on small files. The package exports
 * only its entry, so the bundle is found next to it.
 *
 * It is loaded with require() (Node 20.19+ loads an ES module synchronously that way), not with
 * a top-level await: a module with top-level await cannot be require()d, so CommonJS projects
 * could not load hpm at all.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

type Chevrotain = typeof import('chevrotain');

const require = createRequire(import.meta.url);
const entry = require.resolve('chevrotain'); // .../chevrotain/lib/src/api.js
export const chevrotain: Chevrotain = require(join(dirname(entry), '..', 'chevrotain.mjs'));
