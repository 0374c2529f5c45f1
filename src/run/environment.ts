/**
 * The programs' environment (haproxy.md §3.3): hpm-run's own, after the `global`
 * setenv/presetenv/resetenv/unsetenv lines in order, plus the HAPROXY_* variables HAProxy's
 * master exported. Computed afresh from the base environment at each (re)load, so a removed
 * `setenv` no longer applies (2.x kept it; 3.1+ restores the initial environment too).
 */
import { applyEnvKeyword } from '../syntax/env-keywords.js';

/** One `global` environment line: `setenv NAME VALUE`, `unsetenv NAME...`, ... */
export interface EnvLine {
  keyword: string;
  args: string[];
}

export interface ProgramEnvOptions {
  /** The expanded configuration files (HAPROXY_CFGFILES, `;`-joined). */
  configFiles: readonly string[];
  /** The control socket address, e.g. `unix@/run/hpm.sock` (HAPROXY_MASTER_CLI). */
  masterCli?: string;
}

export function applyGlobalEnv(base: Readonly<Record<string, string | undefined>>, envLines: readonly EnvLine[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  for (const { keyword, args } of envLines) applyEnvKeyword(env, keyword, args);
  return env;
}

export function programEnvironment(base: Readonly<Record<string, string | undefined>>, envLines: readonly EnvLine[], options: ProgramEnvOptions): Record<string, string> {
  const env = applyGlobalEnv(base, envLines);
  env.HAPROXY_MWORKER = '1';
  env.HAPROXY_CFGFILES = options.configFiles.join(';');
  if (options.masterCli) env.HAPROXY_MASTER_CLI = options.masterCli;
  return env;
}
