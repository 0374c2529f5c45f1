/**
 * Start-up speed: chevrotain's package entry (`lib/src/api.js`) pulls ~650 ES modules (lodash-es)
 * and takes ~0.5 s and ~30 MB to import; its own single-file bundle `lib/chevrotain.min.mjs`
 * (same version, same API) takes ~10 ms. The package does not export that subpath, so hpm-run
 * redirects the `chevrotain` specifier with a resolve hook before anything imports the parser.
 * Remove this once grammar/ imports the bundle itself.
 */
import { register } from 'node:module';

export function preferChevrotainBundle(): void {
  try {
    const entry = import.meta.resolve('chevrotain');
    const bundle = new URL('../chevrotain.min.mjs', entry).href;
    const hook = `export async function resolve(specifier, context, next) {
      return specifier === 'chevrotain' ? { url: ${JSON.stringify(bundle)}, shortCircuit: true } : next(specifier, context);
    }`;
    register(`data:text/javascript,${encodeURIComponent(hook)}`);
  } catch {
    // an older Node or a different layout: the package entry still works, only slower
  }
}
