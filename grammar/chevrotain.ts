/**
 * Chevrotain, as hpm imports it: `#chevrotain` (package.json "imports") is its fast single-file
 * build under Node, loaded on first call (grammar/chevrotain-build.ts), and the package entry for
 * bundlers.
 */
import * as imported from '#chevrotain';

type Chevrotain = typeof import('chevrotain');

const nodeBuild = imported as unknown as { load?: () => Chevrotain };

/** Chevrotain's API; under Node the first call loads it. */
export function chevrotain(): Chevrotain {
  return typeof nodeBuild.load === 'function' ? nodeBuild.load() : (imported as Chevrotain);
}
