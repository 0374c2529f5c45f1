/**
 * How an HAProxy binary reads a configuration, from the version it reports (`-v`, or `show
 * version` on its master CLI): the version `.if version_atleast()` compares with, and the
 * variables it defines before reading. Used for --haproxy and --haproxy-socket alike; a light
 * module, so that an attached HAProxy does not load the parser into the supervisor.
 */

/**
 * The version hpm-run reads the configuration with, from what `-v` prints: `2.6.12-1+deb12u4` ->
 * `2.6.12`, `3.2.0-e134140d2` -> `3.2.0`. HAProxy compares `.if version_atleast()` with its own
 * version, and its numbers are what matter (checked with 2.6.12 and 3.2.0). A development or
 * release-candidate build (`3.4-dev5`, `3.4.0-rc1`) comes before its release, so it reads as the
 * last one of the branch before it: version_atleast(3.4) is false there, as in HAProxy.
 */
export function configVersionOf(version: string): string | undefined {
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?(?:-(dev|rc))?/.exec(version);
  if (!match) return undefined;
  const [, major, minor, patch, preRelease] = match;
  if (!preRelease) return `${major}.${minor}.${patch ?? 0}`;
  const last = Number.MAX_SAFE_INTEGER;
  if (patch !== undefined && Number(patch) > 0) return `${major}.${minor}.${Number(patch) - 1}.${last}`;
  return Number(minor) > 0 ? `${major}.${Number(minor) - 1}.${last}` : `${Number(major) - 1}.${last}.${last}`;
}

/**
 * What HAProxy defines before reading its configuration: HAPROXY_STARTUP_VERSION (as `-v` prints
 * it; 2.6.12 sets it too) and, from 2.8 on, HAPROXY_BRANCH (`X.Y`). Checked with `.notice` under
 * 2.6.12, 3.2, 3.3 and 3.4. The startup version stays the first binary's across reloads.
 */
export function predefinedVariablesOf(version: string): Record<string, string> {
  const variables: Record<string, string> = { HAPROXY_STARTUP_VERSION: version };
  const branch = /^(\d+)\.(\d+)/.exec(version);
  if (branch && (Number(branch[1]) > 2 || (Number(branch[1]) === 2 && Number(branch[2]) >= 8))) variables.HAPROXY_BRANCH = `${branch[1]}.${branch[2]}`;
  return variables;
}
