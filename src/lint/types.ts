/**
 * The lint engine's vocabulary: rules (metadata beside a check), the context a rule sees for one
 * reader of the configuration, and the diagnostics the engine hands to formatters.
 */
import type { AccountDatabase, ConfigModel } from '../model/index.js';
import type { ConfigFile, Diagnostic, Env, Severity, Span } from '../syntax/index.js';

/** Who reads the configuration: HAProxy (HPM_RUN undefined) or hpm-run (HPM_RUN=1). */
export type View = 'haproxy' | 'hpm-run';

export type RuleSetting = 'off' | 'warn' | 'error';

/** A text replacement in one file: ESLint's `{ range, text }`, offsets 0-based, end exclusive. */
export interface Fix {
  range: [number, number];
  text: string;
}

export interface RuleMeta {
  /** Stable id, `<group>/<name>`. */
  id: string;
  defaultSeverity: Severity;
  /** One sentence: what the rule finds. */
  description: string;
  /** The docs page, relative to the package root: `docs/rules/<group>/<name>.md`. */
  docs: string;
  /**
   * HAProxy versions the rule applies to (inclusive; `to` open when absent). Only the HAProxy
   * view is filtered by version: hpm-run reads program sections whatever the version.
   */
  versions: { from: string; to?: string };
  /** The readers the rule runs for. */
  views: readonly View[];
  fixable: boolean;
  /** Looks at the host (PATH, files): skipped with `--no-host-checks`. */
  hostCheck?: boolean;
}

/** What a rule reports; the engine adds the rule id and the configured severity. */
export interface Finding {
  file: string;
  span: Span;
  message: string;
  hint?: string;
  fix?: Fix;
}

export interface RuleContext {
  view: View;
  files: readonly ConfigFile[];
  model: ConfigModel;
  /** The parser's diagnostics for this reader (they carry `syntax/*` ids). */
  parserDiagnostics: readonly Diagnostic[];
  /** The HAProxy version linted against; undefined = every version with `program` (2.0-3.2). */
  haproxyVersion?: string;
  /** HAProxy's -W given on the command line. */
  masterWorker: boolean;
  accounts: AccountDatabase;
  /** The env this reader was parsed with (process env + defines, HPM_RUN set or not). */
  env: Env;
  /**
   * False when `env` is not the environment HAProxy will run with (no host checks and no
   * `--env`/`--env-file`): a variable it lacks is unknown, not unset.
   */
  environmentKnown: boolean;
  report(finding: Finding): void;
}

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): void;
}

export interface LintDiagnostic extends Diagnostic {
  fix?: Fix;
}

export interface FileResult {
  file: string;
  diagnostics: LintDiagnostic[];
  errorCount: number;
  warningCount: number;
}

export interface LintResult {
  results: FileResult[];
  errorCount: number;
  warningCount: number;
}

export interface LintOptions {
  /** `X.Y`; undefined = rules valid for every version with `program` (2.0-3.2). */
  haproxyVersion?: string;
  /** HAProxy's -W: master-worker mode given on the command line. */
  masterWorker?: boolean;
  /** Checks that read this host: PATH, the user/group databases, the process environment (default true). */
  hostChecks?: boolean;
  /** The environment `.if` and `"$VAR"` see (default: process.env, or nothing without host checks). */
  env?: Env;
  /**
   * Whether `env` is the environment HAProxy runs with (default: true when `env` is given or host
   * checks are on). When false, a `"$NAME"` it lacks "depends on the environment" (a warning)
   * instead of being read as unset.
   */
  environmentKnown?: boolean;
  /** `--define NAME[=VALUE]`: added to env (VALUE defaults to `1`). */
  defines?: Record<string, string>;
  /** User/group database (default: the host's, through getent). */
  accounts?: AccountDatabase;
  /** Per-rule severity override. */
  rules?: Record<string, RuleSetting>;
  /** Which readers to check (default both). */
  view?: 'both' | View;
  /**
   * The configuration as one reader already read it, with this same environment, defines and
   * version (hpm-run validates what it loaded): used instead of parsing the sources again.
   */
  alreadyRead?: { view: View; files: ConfigFile[]; diagnostics: Diagnostic[]; model: ConfigModel };
}
