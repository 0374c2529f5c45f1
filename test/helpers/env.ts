/**
 * What this machine offers to tests: the real haproxy binary (differential tests) and root
 * (user/group switching). Tests that need them skip elsewhere, printing why.
 */
import { execFileSync } from 'node:child_process';

function probeHaproxy(): string | undefined {
  try {
    const out = execFileSync('haproxy', ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return /version (\S+)/.exec(out)?.[1];
  } catch {
    return undefined;
  }
}

export const haproxyVersion = probeHaproxy();
export const haproxyAvailable = haproxyVersion !== undefined;
export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Prints why a suite is skipped (vitest shows skipped tests, not the reason). */
export function skipReason(what: string, available: boolean, reason: string): boolean {
  if (!available) console.log(`skipping ${what}: ${reason}`);
  return !available;
}

/**
 * fast-check seed: HPM_FC_SEED when given (to replay a failure), a fixed one in CI so a run is
 * reproducible, else random so local runs keep exploring. fast-check prints the seed on failure.
 */
export const propertySeed: number | undefined = process.env.HPM_FC_SEED
  ? Number(process.env.HPM_FC_SEED)
  : process.env.CI
    ? 20261124
    : undefined;
