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
 * it; 2.6.12 sets it too), from 2.8 on HAPROXY_BRANCH (`X.Y`), and the default log formats it
 * removes once it has read (READING_ONLY_VARIABLES; programs see the first two only). Checked
 * with `.notice` under 2.6.12, 3.2, 3.3 and 3.4. The startup version stays the first binary's
 * across reloads; variablesSetOver tells which ones an environment gets.
 */
export function predefinedVariablesOf(version: string): Record<string, string> {
  const variables: Record<string, string> = { HAPROXY_STARTUP_VERSION: version };
  const branch = /^(\d+)\.(\d+)/.exec(version);
  if (branch && (Number(branch[1]) > 2 || (Number(branch[1]) === 2 && Number(branch[2]) >= 8))) variables.HAPROXY_BRANCH = `${branch[1]}.${branch[2]}`;
  return { ...variables, ...readingVariablesOf(version) };
}

/**
 * The default log formats HAProxy defines while it reads its configuration files and removes
 * again before anything runs (so programs never see them): HTTP, HTTPS and TCP from 2.8, the two
 * CLF ones from 3.1 (the manuals' tables). The texts are 3.2's, 3.3's and 3.4's, identical in all
 * three (read back with `.notice`); 2.8 to 3.1 are taken to have the same.
 */
export const READING_ONLY_VARIABLES = ['HAPROXY_HTTP_LOG_FMT', 'HAPROXY_HTTP_CLF_LOG_FMT', 'HAPROXY_HTTPS_LOG_FMT', 'HAPROXY_TCP_LOG_FMT', 'HAPROXY_TCP_CLF_LOG_FMT'] as const;

const HTTP_LOG_FMT = '%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r';
const LOG_FORMATS: Record<(typeof READING_ONLY_VARIABLES)[number], { since: [number, number]; text: string }> = {
  HAPROXY_HTTP_LOG_FMT: { since: [2, 8], text: HTTP_LOG_FMT },
  HAPROXY_HTTPS_LOG_FMT: {
    since: [2, 8],
    text: `${HTTP_LOG_FMT} %[fc_err]/%[ssl_fc_err,hex]/%[ssl_c_err]/%[ssl_c_ca_err]/%[ssl_fc_is_resumed] %[ssl_fc_sni]/%sslv/%sslc`,
  },
  HAPROXY_TCP_LOG_FMT: { since: [2, 8], text: '%ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq' },
  HAPROXY_HTTP_CLF_LOG_FMT: {
    since: [3, 1],
    text: '%{+Q}o %{-Q}ci - - [%trg] %r %ST %B "" "" %cp %ms %ft %b %s %TR %Tw %Tc %Tr %Ta %tsc %ac %fc %bc %sc %rc %sq %bq %CC %CS %hrl %hsl',
  },
  HAPROXY_TCP_CLF_LOG_FMT: {
    since: [3, 1],
    text: '%{+Q}o %{-Q}ci - - [%T] "TCP " 000 %B "" "" %cp %ms %ft %b %s %Th %Tw %Tc %Tt %U %ts-- %ac %fc %bc %sc %rc %sq %bq "" "" ',
  },
};

/** The log-format variables a version defines while it reads (see READING_ONLY_VARIABLES). */
export function readingVariablesOf(version: string): Record<string, string> {
  const [major = 0, minor = 0] = (/^(\d+)\.(\d+)/.exec(version) ?? []).slice(1).map(Number);
  const variables: Record<string, string> = {};
  for (const [name, { since, text }] of Object.entries(LOG_FORMATS)) {
    if (major > since[0] || (major === since[0] && minor >= since[1])) variables[name] = text;
  }
  return variables;
}

/**
 * Which of `variables` HAProxy sets over `env`, by its own rules: HAPROXY_STARTUP_VERSION only
 * when the environment has none (it is set without overwriting: an inherited one stays), the
 * others always.
 */
export function variablesSetOver(env: Readonly<Record<string, string | undefined>>, variables: Readonly<Record<string, string>>): Record<string, string> {
  const set = { ...variables };
  if (env.HAPROXY_STARTUP_VERSION !== undefined) delete set.HAPROXY_STARTUP_VERSION;
  return set;
}
