/**
 * Real HAProxy binaries for differential tests: Debian's 2.6 on PATH, and 3.x builds named by
 * HPM_HAPROXY_3_2 / _3_3 / _3_4 or cached in ~/.cache/hpm-haproxy/<version>.0/haproxy.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The binary of HAProxy branch `version` (X.Y), or why there is none. */
export function haproxyBinary(version: string): { path: string } | { missing: string } {
  const variable = `HPM_HAPROXY_${version.replace('.', '_')}`;
  const candidates = [process.env[variable], join(homedir(), '.cache', 'hpm-haproxy', `${version}.0`, 'haproxy'), 'haproxy'].filter((c): c is string => !!c);
  for (const path of candidates) {
    if (path.includes('/') && !existsSync(path)) continue;
    try {
      const out = execFileSync(path, ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      if (/version (\d+\.\d+)/.exec(out)?.[1] === version) return { path };
    } catch {
      // not runnable: try the next one
    }
  }
  return { missing: `no HAProxy ${version} binary (set ${variable} or build it into ~/.cache/hpm-haproxy/${version}.0/haproxy)` };
}
