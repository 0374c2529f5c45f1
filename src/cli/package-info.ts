/** The installed package: its root directory (docs/ ships there) and version (for `-v/--version`). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_NAME = 'hpm-haproxy';

interface PackageJson {
  name?: string;
  version?: string;
}

/** The directory of hpm's package.json, found upwards from this module (in src/ or dist/src/). */
export function packageRoot(): { dir: string; version: string } | undefined {
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
