/**
 * What the supervisor knows of a configuration: plain data, light to import (no parser), so the
 * supervisor can load configurations in a separate process (config-loader.ts) and stay small.
 */
import type { ReadyCheck, ReloadOrder, ReloadSignal, RestartPolicy } from '../model/extensions.js';
import type { Diagnostic } from '../syntax/ast.js';
import type { EnvLine } from './environment.js';

/** Stop signal to SIGKILL, when neither `--stop-timeout` nor `stop-timeout` says otherwise (hpm-run.md). */
export const DEFAULT_STOP_TIMEOUT_MS = 10_000;

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
  /** What a kept (`no option start-on-reload`) instance gets at a reload. */
  reloadSignal: ReloadSignal;
  /** How a start-on-reload program's instances are swapped at a reload. */
  reloadOrder: ReloadOrder;
  /** `after`: programs (or `haproxy`) that must be ready before this one starts. */
  after: string[];
  ready?: ReadyCheck;
  readyTimeoutMs: number;
  /** `env` lines: set over the program's environment (the last one for a name wins). */
  env: Record<string, string>;
  cwd?: string;
  umask?: number;
}

/** One configuration file as the load read it: the text it validated, and how it goes back to bytes. */
export interface ConfigSourceText {
  file: string;
  text: string;
  encoding: 'utf8' | 'latin1';
}

/** How hpm-run reads a configuration (config.ts). */
export interface RunLoadOptions {
  /**
   * The version `.if version_atleast()/version_before()` compare against (`X.Y.Z`, or `X.Y` for
   * that branch's latest release): --haproxy's binary's; default the parser's (3.2).
   */
  haproxyVersion?: string;
  /**
   * Variables HAProxy defines before it reads the configuration (HAPROXY_STARTUP_VERSION,
   * HAPROXY_BRANCH, the default log formats: haproxy/config-version.ts), seen by `"$NAME"` and
   * `.if defined()` as HAProxy's reader sees them; an inherited HAPROXY_STARTUP_VERSION stays.
   */
  predefined?: Record<string, string>;
  /** Keep the validated texts in RunConfig.sources (--haproxy writes HAProxy's copy from them). */
  keepSources?: boolean;
}

/** A loaded configuration, as plain data (it crosses from the loader process as JSON). */
export interface RunConfig {
  /** The configuration files, directories expanded (HAPROXY_CFGFILES). */
  files: string[];
  programs: ProgramSpec[];
  /** The `global` setenv/presetenv/unsetenv/resetenv lines, in order. */
  envLines: EnvLine[];
  /** With `keepSources`: the texts this load validated, in file order (read once, never again). */
  sources?: ConfigSourceText[];
}

export type LoadResult =
  | { ok: true; config: RunConfig; diagnostics: Diagnostic[] }
  /** `unreadable`: a file could not be read (HAProxy then prints that one line only). */
  | { ok: false; diagnostics: Diagnostic[]; fatal?: string; unreadable?: boolean };

/** Whether a program's definition differs in anything that affects how it is started or stopped. */
export function sameDefinition(a: ProgramSpec, b: ProgramSpec): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
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
  if (!result.unreadable) out.push({ level: 'ALERT', text: 'config : Fatal errors found in configuration.' });
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
