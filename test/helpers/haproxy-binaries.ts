/**
 * Locally built HAProxy releases for differential tests: HPM_HAPROXY_<MAJOR>_<MINOR> (e.g.
 * HPM_HAPROXY_3_2) names a binary, else the build cache ~/.cache/hpm-haproxy/<version>/haproxy.
 */
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function haproxyBinary(version: string): string | undefined {
  const [major, minor] = version.split('.');
  const candidates = [process.env[`HPM_HAPROXY_${major}_${minor}`], join(homedir(), '.cache/hpm-haproxy', version, 'haproxy')];
  for (const path of candidates) {
    if (!path) continue;
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      /* not this one */
    }
  }
  return undefined;
}
