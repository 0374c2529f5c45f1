/**
 * Chevrotain, as hpm imports it: `#chevrotain` (package.json "imports") is its fast single-file
 * build under Node (grammar/chevrotain-build.ts) and the package entry for bundlers.
 */
import * as chevrotain from '#chevrotain';

export { chevrotain };
