/**
 * The real HAProxy binaries this machine offers, by version: Debian's (`haproxy` on PATH, 2.6)
 * and the release builds whose paths CI exports as HPM_HAPROXY_3_2, HPM_HAPROXY_3_3,
 * HPM_HAPROXY_3_4 (else the build cache, $HPM_HAPROXY_CACHE or ~/.cache/hpm-haproxy/<v>/haproxy).
 * A version that is absent is skipped by the tests, which print why.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface HaproxyBinary {
  /** `2.6`, `3.2`... */
  branch: string;
  /** Full version as `-v` prints it, e.g. `3.2.0-e134140`. */
  version: string;
  path: string;
  /** The branch still has `program` sections (2.0 - 3.2). */
  hasPrograms: boolean;
  /** The master CLI `reload` answers `Success=` synchronously (2.7+). */
  syncReload: boolean;
}

const WANTED: { branch: string; release: string }[] = [
  { branch: '2.6', release: '' },
  { branch: '3.2', release: '3.2.0' },
  { branch: '3.3', release: '3.3.0' },
  { branch: '3.4', release: '3.4.0' },
];

function versionOf(path: string): string | undefined {
  try {
    const out = execFileSync(path, ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return /version (\S+)/.exec(out)?.[1];
  } catch {
    return undefined;
  }
}

function candidate(branch: string, release: string): string | undefined {
  if (release === '') return 'haproxy';
  const fromEnv = process.env[`HPM_HAPROXY_${branch.replace('.', '_')}`];
  if (fromEnv) return fromEnv;
  const cached = join(process.env.HPM_HAPROXY_CACHE ?? join(homedir(), '.cache', 'hpm-haproxy'), release, 'haproxy');
  return existsSync(cached) ? cached : undefined;
}

function atLeast(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split(/[.-]/).map(Number);
  return a > major || (a === major && b >= minor);
}

function probe(): { available: HaproxyBinary[]; missing: { branch: string; reason: string }[] } {
  const available: HaproxyBinary[] = [];
  const missing: { branch: string; reason: string }[] = [];
  for (const { branch, release } of WANTED) {
    const path = candidate(branch, release);
    const version = path ? versionOf(path) : undefined;
    if (!path || !version) {
      missing.push({ branch, reason: release ? `no HAProxy ${release} build (set HPM_HAPROXY_${branch.replace('.', '_')} or run .ci/run)` : 'no haproxy on PATH' });
      continue;
    }
    if (!version.startsWith(`${branch}.`)) {
      missing.push({ branch, reason: `${path} is ${version}, not ${branch}` });
      continue;
    }
    available.push({ branch, version, path, hasPrograms: !atLeast(version, 3, 3), syncReload: atLeast(version, 2, 7) });
  }
  return { available, missing };
}

const found = probe();

/** Every HAProxy binary found, oldest first. */
export const haproxyBinaries: readonly HaproxyBinary[] = found.available;

/** Prints, once per suite, which versions are missing and why. */
export function reportMissingVersions(suite: string): void {
  for (const m of found.missing) console.log(`${suite}: skipping HAProxy ${m.branch}: ${m.reason}`);
}

/** One `describe.each` row per branch; absent branches are listed with a reason instead. */
export function haproxyMatrix(suite: string): HaproxyBinary[] {
  reportMissingVersions(suite);
  return [...haproxyBinaries];
}
