/**
 * Reading and validating the configuration for hpm-run: the files as HAProxy reads them, with
 * HPM_RUN=1 defined, then checked before anything starts (or before a reload touches anything).
 * `validateConfig()` is the single switch point to the shared lint API once it lands:
 *   lintSources(sources, { masterWorker: true, view: 'hpm-run', hostChecks: false })
 */
import { hostAccounts, loadConfig, parseExtension, type AccountDatabase, type LoadedConfig, type ProgramSection, type RestartPolicy } from '../model/index.js';
import type { Diagnostic, Line } from '../syntax/index.js';

/** Everything hpm-run needs to start one program, resolved at load time (like getpwnam at parse). */
export interface ProgramSpec {
  name: string;
  argv: string[];
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

function diagnosticAt(line: Line, file: string, ruleId: string, message: string, severity: Diagnostic['severity'] = 'error'): Diagnostic {
  return { ruleId, severity, message, file, span: { start: line.span.start, end: line.span.end } };
}

/** Checks HAProxy would make at parse time, plus hpm-run's extension values (haproxy.md §2.2). */
export function validateConfig(loaded: LoadedConfig, accounts: AccountDatabase): Diagnostic[] {
  const out: Diagnostic[] = loaded.diagnostics.filter((d) => d.severity === 'error' || d.ruleId.startsWith('syntax/'));
  const seen = new Map<string, ProgramSection>();
  for (const p of loaded.model.programs) {
    const at = (line: Line, ruleId: string, message: string, severity: Diagnostic['severity'] = 'error') => out.push(diagnosticAt(line, p.file, ruleId, message, severity));
    if (!p.name) at(p.header, 'program/missing-name', `'program' expects an <id> argument`);
    else if (seen.has(p.name)) at(p.header, 'program/duplicate-name', `'${p.name}' program section already exists in the configuration.`);
    else seen.set(p.name, p);
    if (p.header.args && p.header.args.length > 2) at(p.header, 'program/extra-argument', `'program' cannot handle unexpected argument '${p.header.args[2]}'.`);
    if (!p.argv) at(p.header, 'program/missing-command', `The program section '${p.name}' lacks a command to launch.`);
    for (const [uses, what] of [[p.users, 'user'], [p.groups, 'group']] as const) {
      uses.forEach((use, i) => {
        if (use.args.length === 0) at(use.line, 'program/extra-argument', `'${what}' expects a ${what} name.`);
        else if (use.args.length > 1) at(use.line, 'program/extra-argument', `'${what}' cannot handle unexpected argument '${use.args[1]}'.`);
        else if (i > 0) at(use.line, `program/duplicate-${what}`, `${what}/${what === 'user' ? 'uid' : 'gid'} already specified. Continuing.`, 'warning');
      });
    }
    if (p.user && !accounts.user(p.user)) at(p.users[0]!.line, 'program/unknown-user', `cannot find user id for '${p.user}' (0:Success)`);
    if (p.group && !accounts.group(p.group)) at(p.groups[0]!.line, 'program/unknown-group', `cannot find group id for '${p.group}' (0:Success)`);
    for (const use of p.options) {
      if (use.args.length === 0) at(use.line, 'program/unknown-option', `'option' expects an option name.`);
      else if (use.args[0] !== 'start-on-reload') at(use.line, 'program/unknown-option', `unknown option '${use.args[0]}'.`);
      else if (use.args.length > 1) at(use.line, 'program/extra-argument', `'option start-on-reload' cannot handle unexpected argument '${use.args[1]}'.`);
      else if (use.line.modifier === 'default') at(use.line, 'program/invalid-modifier', `'default option start-on-reload' is not supported.`);
    }
    for (const use of p.unknown) at(use.line, 'program/unknown-keyword', `unknown keyword '${use.line.keyword}' in 'program' section`);
    for (const use of p.extensionUses) {
      const parsed = parseExtension(use.line.keyword!, use.args);
      if (!parsed.ok) at(use.line, 'hpm/invalid-extension', parsed.message);
    }
    for (const use of [...p.commands, ...p.users, ...p.groups, ...p.extensionUses, ...p.unknown]) {
      if (use.line.modifier) at(use.line, 'program/invalid-modifier', `'${use.line.modifier}' is not supported for '${use.line.keyword}'.`);
    }
  }
  return out;
}

function specOf(p: ProgramSection, accounts: AccountDatabase): ProgramSpec {
  const user = p.user ? accounts.user(p.user) : undefined;
  const group = p.group ? accounts.group(p.group) : undefined;
  return {
    name: p.name,
    argv: p.argv ?? [],
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
  const diagnostics = validateConfig(loaded, accounts);
  if (diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics };
  const programs = loaded.model.programs.map((p) => specOf(p, accounts));
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
