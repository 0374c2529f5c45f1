/**
 * What `hpm-lint` does once its arguments are parsed: find the project config, read the
 * configuration (every file and directory given, in order, as `haproxy -f a -f dir` reads them;
 * each argument alone with `eachFile`; or stdin, also written `-`), lint (and fix), format, and
 * choose the exit code (0 clean, 1 errors or too many warnings, 2 usage error or unreadable file).
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { decodeConfigBytes, expandConfigPaths, type LoadedSource } from '../model/index.js';
import { accountDatabase } from './accounts.js';
import { looksBinary } from './binary.js';
import { ConfigFileError, findConfigFile, parseDefines, readConfigFile, type ProjectConfig } from './config.js';
import { lintSources, summarize } from './engine.js';
import { fixSources, writeFixedSources } from './fix.js';
import { formatResult, type FormatName } from './formatters/index.js';
import { RULES_BY_ID } from './registry.js';
import type { LintDiagnostic, LintOptions, LintResult, RuleSetting } from './types.js';

export interface LintRequest {
  paths: string[];
  format: FormatName;
  haproxyVersion?: string;
  masterWorker?: boolean;
  hostChecks?: boolean;
  passwd?: string;
  group?: string;
  defines: string[];
  /** `--env NAME=VALUE` (repeatable): the environment HAProxy runs with, for `"$NAME"` and `.if`. */
  envs?: string[];
  /** `--env-file FILE`: NAME=VALUE lines, as systemd's EnvironmentFile. */
  envFile?: string;
  rules: string[];
  maxWarnings?: number;
  fix: boolean;
  stdin: boolean;
  stdinFilename?: string;
  /** Lint each argument as its own configuration (the default reads them all as one, like `haproxy -f a -f b`). */
  eachFile?: boolean;
  /** Explicit config file; `false` = do not look for one. */
  config?: string | false;
  view?: 'both' | 'haproxy' | 'hpm-run';
  colorLevel: 0 | 1 | 2 | 3;
  /** Read stdin (injected for tests). */
  readStdin?: () => Buffer;
  env?: NodeJS.ProcessEnv;
}

export interface LintRun {
  output: string;
  errors: string;
  exitCode: number;
  result?: LintResult;
}

export class UsageError extends Error {}

/** A branch (`2.6`, its latest patch release) or a release as `haproxy -v` prints it (`2.6.12`). */
const VERSION = /^\d+\.\d+(\.\d+)?$/;

function parseRuleSettings(items: readonly string[]): Record<string, RuleSetting> {
  const out: Record<string, RuleSetting> = {};
  for (const item of items) {
    const m = /^([^=]+)=(off|warn|error)$/.exec(item);
    if (!m) throw new UsageError(`invalid --rule '${item}': expected <id>=off|warn|error`);
    if (!RULES_BY_ID.has(m[1]!)) throw new UsageError(`unknown rule '${m[1]}'`);
    out[m[1]!] = m[2] as RuleSetting;
  }
  return out;
}

function optionsFor(request: LintRequest, config: ProjectConfig | undefined): LintOptions {
  const haproxyVersion = request.haproxyVersion ?? config?.haproxyVersion;
  if (haproxyVersion !== undefined && !VERSION.test(haproxyVersion)) throw new UsageError(`invalid HAProxy version '${haproxyVersion}': expected X.Y or X.Y.Z, e.g. 2.6 or 2.6.12`);
  const passwdFile = request.passwd ?? config?.passwd;
  const groupFile = request.group ?? config?.group;
  for (const file of [passwdFile, groupFile]) {
    if (file === undefined) continue;
    try {
      statSync(file);
    } catch {
      throw new UsageError(`cannot read ${file}`);
    }
  }
  const hostChecks = request.hostChecks ?? config?.hostChecks ?? true;
  // The environment HAProxy runs with: given with --env/--env-file, else this host's unless host
  // checks are off; then a "$NAME" is reported as depending on the environment.
  const given = { ...(request.envFile ? readEnvFile(request.envFile) : {}), ...parseEnvAssignments(request.envs ?? []) };
  const environmentKnown = hostChecks || request.envFile !== undefined || (request.envs ?? []).length > 0;
  return {
    ...(haproxyVersion ? { haproxyVersion } : {}),
    masterWorker: request.masterWorker ?? config?.masterWorker ?? false,
    hostChecks,
    env: hostChecks ? { ...(request.env ?? process.env), ...given } : given,
    environmentKnown,
    defines: { ...(config?.defines ?? {}), ...parseDefines(request.defines) },
    rules: { ...(config?.rules ?? {}), ...parseRuleSettings(request.rules) },
    accounts: accountDatabase({
      host: hostChecks,
      ...(passwdFile ? { passwdFile } : {}),
      ...(groupFile ? { groupFile } : {}),
      ...(config?.users ? { users: config.users } : {}),
      ...(config?.groups ? { groups: config.groups } : {}),
    }),
    view: request.view ?? 'both',
  };
}

/** `--env NAME=VALUE` items. */
function parseEnvAssignments(items: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(item);
    if (!m) throw new UsageError(`invalid --env '${item}': expected NAME=VALUE`);
    out[m[1]!] = m[2]!;
  }
  return out;
}

/** An env file: `NAME=VALUE` lines (an optional `export ` and surrounding quotes allowed), `#` comments, blanks. */
export function readEnvFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${path}`);
  }
  const out: Record<string, string> = {};
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) throw new UsageError(`${path}:${index + 1}: expected NAME=VALUE`);
    const value = m[2]!;
    out[m[1]!] = /^(["']).*\1$/.test(value) && value.length >= 2 ? value.slice(1, -1) : value;
  });
  return out;
}

function projectConfig(request: LintRequest, near: string): ProjectConfig | undefined {
  if (request.config === false) return undefined;
  const path = request.config ?? findConfigFile(near);
  return path ? readConfigFile(path) : undefined;
}

export function runLint(request: LintRequest): LintRun {
  try {
    return runLintUnchecked(request);
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigFileError) return { output: '', errors: `hpm-lint: ${e.message}\n`, exitCode: 2 };
    const err = e as NodeJS.ErrnoException;
    if (err.code && err.path) return { output: '', errors: `hpm-lint: cannot read ${err.path}: ${err.code}\n`, exitCode: 2 };
    throw e;
  }
}

/** A file's text, refusing binary files (exit 2, one line) instead of linting them. */
function readTextSource(path: string, bytes: Buffer = readFileSync(path)): LoadedSource {
  if (looksBinary(bytes)) throw new UsageError(`${path}: binary file, not a configuration`);
  const { text, encoding } = decodeConfigBytes(bytes);
  return { file: path, text, encoding };
}

type Unit = { sources: LoadedSource[]; near: string; fromStdin: boolean };

function readUnits(request: LintRequest): Unit[] {
  // `-` is standard input, as for most Unix tools.
  const stdin = request.stdin || (request.paths.length === 1 && request.paths[0] === '-');
  if (stdin) {
    if (request.stdin && request.paths.length > 0) throw new UsageError('--stdin takes no file arguments');
    const file = request.stdinFilename ?? '<stdin>';
    const source = readTextSource(file, request.readStdin ? request.readStdin() : readFileSync(0));
    return [{ sources: [source], near: request.stdinFilename ? dirname(resolve(request.stdinFilename)) : process.cwd(), fromStdin: true }];
  }
  if (request.paths.length === 0) throw new UsageError('no file given (use - or --stdin to read standard input)');
  if (request.paths.includes('-')) throw new UsageError("'-' (standard input) cannot be mixed with files");
  const units: Unit[] = [];
  for (const path of request.paths) {
    const files = expandConfigPaths([path]);
    if (files.length === 0) throw new UsageError(`${path}: no *.cfg file in this directory`);
    const isDirectory = statSync(path).isDirectory();
    units.push({ sources: files.map((f) => readTextSource(f)), near: isDirectory ? path : dirname(path), fromStdin: false });
  }
  if (request.eachFile || units.length <= 1) return units;
  // Files given together are one configuration, in order; the config file is looked up from the first.
  return [{ sources: units.flatMap((u) => u.sources), near: units[0]!.near, fromStdin: false }];
}

function runLintUnchecked(request: LintRequest): LintRun {
  const stdin = request.stdin || (request.paths.length === 1 && request.paths[0] === '-');
  const units = readUnits(request);

  const diagnostics: LintDiagnostic[] = [];
  const fileNames: string[] = [];
  const texts = new Map<string, string>();
  let fixedOutput = '';
  for (const unit of units) {
    const options = optionsFor(request, projectConfig(request, unit.near));
    let sources = unit.sources;
    let result: LintResult;
    if (request.fix) {
      const outcome = fixSources(unit.sources, options);
      if (unit.fromStdin) fixedOutput += outcome.sources[0]!.text;
      else writeFixedSources(outcome);
      sources = outcome.sources;
      result = outcome.result;
    } else {
      result = lintSources(unit.sources, options);
    }
    for (const s of sources) {
      fileNames.push(s.file);
      texts.set(s.file, s.text);
    }
    for (const r of result.results) diagnostics.push(...r.diagnostics);
  }
  const result = summarize(fileNames, diagnostics);
  let output = formatResult(request.format, result, { texts, colorLevel: request.format === 'stylish' ? request.colorLevel : 0 });
  // With --fix --stdin the fixed text goes to stdout and the report to stderr.
  let errors = '';
  if (request.fix && stdin) {
    errors = output;
    output = fixedOutput;
  }
  let exitCode = result.errorCount > 0 ? 1 : 0;
  if (request.maxWarnings !== undefined && request.maxWarnings >= 0 && result.warningCount > request.maxWarnings) {
    exitCode = 1;
    errors += `hpm-lint found too many warnings (maximum: ${request.maxWarnings}).\n`;
  }
  return { output, errors, exitCode, result };
}

