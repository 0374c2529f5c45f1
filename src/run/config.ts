/**
 * Reading and validating the configuration for hpm-run: the files as HAProxy reads them, with
 * HPM_RUN=1 defined, then checked before anything starts (or before a reload touches anything).
 * Validation is hpm-lint's (`validateConfig()`), so hpm-run and hpm-lint never disagree.
 */
import { lintSources } from '../lint/engine.js'; // not lint/index.js: the formatters are not needed here
import { hostAccounts, loadConfig, type AccountDatabase, type LoadedConfig, type ProgramSection, type RestartPolicy } from '../model/index.js';
import type { Diagnostic, Env } from '../syntax/index.js';

/** Everything hpm-run needs to start one program, resolved at load time (like getpwnam at parse). */
export interface ProgramSpec {
  name: string;
  argv: string[];
  /** How argv goes back to bytes: a file read as latin1 (not valid UTF-8) gives its bytes back. */
  argvEncoding: 'utf8' | 'latin1';
  user?: string;
  group?: string;
  /** Resolved credentials: `group`'s gid, else `user`'s primary gid; undefined = inherit. */
  uid?: number;
  gid?: number;
  startOnReload: boolean;
  restart: RestartPolicy;
  stopSignal?: NodeJS.Signals;
  stopTimeoutMs?: number;
}

export interface RunConfig {
  /** The configuration files, directories expanded (HAPROXY_CFGFILES). */
  files: string[];
  loaded: LoadedConfig;
  programs: ProgramSpec[];
}

export type LoadResult = { ok: true; config: RunConfig; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[]; fatal?: string };

/**
 * Everything that would stop HAProxy from reading the file, and hpm-run's own checks
 * (extension values, ...), through hpm-lint's rules for the hpm-run reader. Host checks (PATH)
 * are off: a missing command is reported at exec, as HAProxy does.
 */
export function validateConfig(loaded: LoadedConfig, accounts: AccountDatabase, env?: Env): Diagnostic[] {
  const result = lintSources(loaded.sources, { masterWorker: true, view: 'hpm-run', hostChecks: false, accounts, ...(env ? { env } : {}) });
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
  };
}

/** Whether a program's definition differs in anything that affects how it is started or stopped. */
export function sameDefinition(a: ProgramSpec, b: ProgramSpec): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Reads `paths` (files, or directories of *.cfg) with HPM_RUN=1 and validates. Never throws. */
export function loadRunConfig(paths: readonly string[], env: Readonly<Record<string, string | undefined>>, accounts: AccountDatabase = hostAccounts()): LoadResult {
  let loaded: LoadedConfig;
  const parseEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) parseEnv[k] = v;
  parseEnv.HPM_RUN = '1';
  try {
    loaded = loadConfig(paths, { env: parseEnv });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return { ok: false, diagnostics: [], fatal: `Cannot open configuration file/directory ${e.path ?? paths.join(' ')} : ${strerrorOf(e.code)}` };
  }
  const diagnostics = validateConfig(loaded, accounts, parseEnv);
  if (diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics };
  const encodingOf = (file: string) => loaded.sources.find((s) => s.file === file)?.encoding ?? 'utf8';
  const programs = loaded.model.programs.map((p) => specOf(p, accounts, encodingOf));
  return { ok: true, config: { files: loaded.sources.map((s) => s.file), loaded, programs }, diagnostics };
}

/** `config : parsing [file:line] : message`, the way HAProxy prints its configuration errors. */
export function describeDiagnostic(d: Diagnostic): string {
  if (d.ruleId === 'program/missing-command') return `config : ${d.message}`;
  return `config : parsing [${d.file}:${d.span.start.line}] : ${d.message}`;
}

/**
 * What HAProxy prints for a configuration it refuses: each diagnostic, then
 * `Error(s) found in configuration file : <file>` per file with errors, then
 * `Fatal errors found in configuration.` (observed with 2.6, at start and at reload).
 */
export function describeLoadFailure(result: Extract<LoadResult, { ok: false }>): { level: 'ALERT' | 'WARNING'; text: string }[] {
  const out: { level: 'ALERT' | 'WARNING'; text: string }[] = [];
  if (result.fatal) out.push({ level: 'ALERT', text: result.fatal });
  for (const d of result.diagnostics) out.push({ level: d.severity === 'error' ? 'ALERT' : 'WARNING', text: describeDiagnostic(d) });
  const files = [...new Set(result.diagnostics.filter((d) => d.severity === 'error' && d.ruleId !== 'program/missing-command').map((d) => d.file))];
  for (const file of files) out.push({ level: 'ALERT', text: `config : Error(s) found in configuration file : ${file}` });
  out.push({ level: 'ALERT', text: 'config : Fatal errors found in configuration.' });
  return out;
}

const STRERROR: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ENOEXEC: 'Exec format error',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  E2BIG: 'Argument list too long',
  ENOMEM: 'Cannot allocate memory',
  EAGAIN: 'Resource temporarily unavailable',
  ETXTBSY: 'Text file busy',
};

/** glibc strerror() text for a Node error code. */
export function strerrorOf(code: string | undefined): string {
  return (code && STRERROR[code]) ?? code ?? 'Unknown error';
}
