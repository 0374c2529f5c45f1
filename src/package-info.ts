/** The installed package: its root directory (docs/ ships there) and version (`-v/--version`, SARIF, `show proc`). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_NAME = 'hpm-haproxy';

interface PackageJson {
  name?: string;
  version?: string;
}

let found: { dir: string; version: string } | undefined | null = null;

/**
 * The directory of hpm's package.json, found upwards from this module (in src/, dist/src/ or a
 * bundle in dist/bin/); looked up once, since the language server asks for every diagnostic.
 */
export function packageRoot(): { dir: string; version: string } | undefined {
  if (found === null) found = findPackageRoot();
  return found;
}

function findPackageRoot(): { dir: string; version: string } | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++, dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
      if (pkg.name === PACKAGE_NAME) return { dir, version: pkg.version ?? 'unknown' };
    } catch {
      /* not here */
    }
  }
  return undefined;
}

export function packageVersion(): string {
  return packageRoot()?.version ?? 'unknown';
}
