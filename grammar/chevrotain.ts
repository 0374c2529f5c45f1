/**
 * Chevrotain, loaded from its own single-file ESM bundle (`lib/chevrotain.mjs`, same version and
 * API as the package entry). The package entry pulls ~650 modules and takes ~0.5 s to import;
 * the bundle ~30 ms, which is most of hpm-lint's start-up on small files. The package exports
 * only its entry, so the bundle is found next to it.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Chevrotain = typeof import('chevrotain');

const entry = createRequire(import.meta.url).resolve('chevrotain'); // .../chevrotain/lib/src/api.js
export const chevrotain: Chevrotain = await import(pathToFileURL(join(dirname(entry), '..', 'chevrotain.mjs')).href);
