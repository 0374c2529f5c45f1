/**
 * Reading and validating the configuration for hpm-run: the files as HAProxy reads them, with
 * HPM_RUN=1 defined, then checked before anything starts (or before a reload touches anything).
 * Validation is hpm-lint's (`validateConfig()`), so hpm-run and hpm-lint never disagree.
 */
import { lintSources } from '../lint/engine.js'; // not lint/index.js: the formatters are not needed here
import { DEFAULT_READY_TIMEOUT_MS, hostAccounts, loadConfig, type AccountDatabase, type LoadedConfig, type ProgramSection } from '../model/index.js';
import type { Diagnostic, Env } from '../syntax/index.js';
import { variablesSetOver } from './haproxy/config-version.js';
import { strerrorOf, type LoadResult, type ProgramSpec, type RunLoadOptions } from './spec.js';

export * from './spec.js';

/**
 * Everything that would stop HAProxy from reading the file, and hpm-run's own checks
 * (extension values, ...), through hpm-lint's rules for the hpm-run reader. Host checks (PATH)
 * are off: a missing command is reported at exec, as HAProxy does. With `env`, `loaded` must
 * have been read with it (and HPM_RUN=1) and `haproxyVersion`: the rules check that reading.
 */
export function validateConfig(loaded: LoadedConfig, accounts: AccountDatabase, env?: Env, haproxyVersion?: string): Diagnostic[] {
  // The files were parsed for hpm-run's reader with this environment and version: the rules get that reading.
  const alreadyRead = env ? { alreadyRead: { view: 'hpm-run' as const, ...loaded } } : {};
  const result = lintSources(loaded.sources, { masterWorker: true, view: 'hpm-run', hostChecks: false, accounts, ...(env ? { env } : {}), ...(haproxyVersion ? { haproxyVersion } : {}), ...alreadyRead });
  return result.results.flatMap((r) => r.diagnostics);
}

function specOf(p: ProgramSection, accounts: AccountDatabase, encodingOf: (file: string) => 'utf8' | 'latin1'): ProgramSpec {
  const user = p.user ? accounts.user(p.user) : undefined;
  const group = p.group ? accounts.group(p.group) : undefined;
  return {
    name: p.name,
    argv: p.argv ?? [],
    argvEncoding: encodingOf(p.file),
    user: p.user,
    group: p.group,
    uid: user?.uid,
    gid: group?.gid ?? user?.gid,
    startOnReload: p.startOnReload,
    restart: p.extensions.restart ?? 'never',
    stopSignal: p.extensions.stopSignal,
    stopTimeoutMs: p.extensions.stopTimeoutMs,
    reloadSignal: p.extensions.reloadSignal ?? 'auto',
    reloadOrder: p.extensions.reloadOrder ?? 'overlap',
    after: [...new Set(p.extensions.after ?? [])],
    ready: p.extensions.ready,
    readyTimeoutMs: p.extensions.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
    env: Object.fromEntries(p.extensions.env ?? []),
    cwd: p.extensions.cwd,
    umask: p.extensions.umask,
  };
}

/**
 * Reads `paths` (files, or directories of *.cfg) once, with HPM_RUN=1, and validates. Never throws.
 * Without `options.haproxyVersion`, `.if version_atleast()` sees the parser's default version.
 */
export function loadRunConfig(
  paths: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  accounts: AccountDatabase = hostAccounts(),
  options: RunLoadOptions = {},
): LoadResult {
  const { haproxyVersion } = options;
  let loaded: LoadedConfig;
  const parseEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) parseEnv[k] = v;
  if (options.predefined) Object.assign(parseEnv, variablesSetOver(parseEnv, options.predefined));
  parseEnv.HPM_RUN = '1';
  try {
    loaded = loadConfig(paths, { env: parseEnv, ...(haproxyVersion ? { haproxyVersion } : {}) });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return { ok: false, diagnostics: [], unreadable: true, fatal: `config : Cannot open configuration file/directory ${e.path ?? paths.join(' ')} : ${strerrorOf(e.code)}` };
  }
  if (loaded.sources.length === 0) {
    // HAProxy prints its usage and exits 1 when the arguments name no file at all.
    return { ok: false, diagnostics: [], unreadable: true, fatal: `config : no configuration file to load: ${paths.map((p) => `'${p}'`).join(', ')} holds no *.cfg file` };
  }
  const diagnostics = validateConfig(loaded, accounts, parseEnv, haproxyVersion);
  if (diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics };
  const encodingOf = (file: string) => loaded.sources.find((s) => s.file === file)?.encoding ?? 'utf8';
  const programs = loaded.model.programs.map((p) => specOf(p, accounts, encodingOf));
  const envLines = loaded.model.global.envLines.map((use) => ({ keyword: use.line.keyword ?? '', args: use.args }));
  const sources = options.keepSources ? loaded.sources.map(({ file, text, encoding }) => ({ file, text, encoding })) : undefined;
  return { ok: true, config: { files: loaded.sources.map((s) => s.file), programs, envLines, ...(sources ? { sources } : {}) }, diagnostics };
}

