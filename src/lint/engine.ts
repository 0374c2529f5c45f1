/**
 * The engine: reads the configuration once per reader (HAProxy: HPM_RUN undefined; hpm-run:
 * HPM_RUN=1), runs the rules that apply to that reader and version, merges the findings (each
 * reported once), applies severities and suppression comments, and counts.
 */
import { buildModel, hostAccounts, type ConfigModel, type LoadedSource } from '../model/index.js';
import { compareVersions, parseFiles, type ConfigFile, type Diagnostic, type Env } from '../syntax/index.js';
import { UNJUDGED_ACCOUNTS } from './accounts.js';
import { RULES, RULES_BY_ID } from './registry.js';
import { applySuppressions, collectSuppressions, unusedSuppressionFindings, type Suppression } from './suppressions.js';
import type { FileResult, LintDiagnostic, LintOptions, LintResult, Rule, RuleMeta, View } from './types.js';

/** Whether a rule applies to a version; no version = only rules valid for every version with `program`. */
export function appliesToVersion(meta: RuleMeta, version: string | undefined): boolean {
  const { from, to } = meta.versions;
  if (version === undefined) return compareVersions(from, '2.0') <= 0 && (to === undefined || compareVersions(to, '3.2') >= 0);
  return compareVersions(version, from) >= 0 && (to === undefined || compareVersions(version, to) <= 0);
}

function severityOf(rule: Rule, options: LintOptions): 'error' | 'warning' | undefined {
  const setting = options.rules?.[rule.meta.id];
  if (setting === 'off') return undefined;
  if (setting === 'warn') return 'warning';
  if (setting === 'error') return 'error';
  return rule.meta.defaultSeverity;
}

/** Without host checks nothing is read from this machine: no process environment, no user database. */
function baseEnv(options: LintOptions): Env {
  return options.env ?? (options.hostChecks === false ? {} : process.env);
}

function envFor(view: View, options: LintOptions): Env {
  const env: Record<string, string | undefined> = { ...baseEnv(options), ...(options.defines ?? {}) };
  if (view === 'haproxy') delete env['HPM_RUN'];
  else env['HPM_RUN'] = '1';
  return env;
}

/** One reader's view of the configuration: its ASTs, the parser's diagnostics and the model. */
function readConfiguration(sources: readonly LoadedSource[], env: Env, options: LintOptions): { files: ConfigFile[]; diagnostics: Diagnostic[]; model: ConfigModel } {
  const { files, diagnostics } = parseFiles(sources, { env, ...(options.haproxyVersion ? { haproxyVersion: options.haproxyVersion } : {}) });
  return { files, diagnostics, model: buildModel(files) };
}

/** The same finding from both readers (same rule, place and words) is reported once. */
function findingKey(ruleId: string, finding: Pick<Diagnostic, 'file' | 'span' | 'message'>): string {
  return `${ruleId}|${finding.file}|${finding.span.start.offset}|${finding.message}`;
}

export function lintSources(sources: readonly LoadedSource[], options: LintOptions = {}): LintResult {
  const views: View[] = options.view === 'haproxy' || options.view === 'hpm-run' ? [options.view] : ['haproxy', 'hpm-run'];
  const hostChecks = options.hostChecks ?? true;
  const accounts = options.accounts ?? (hostChecks ? hostAccounts() : UNJUDGED_ACCOUNTS);
  const environmentKnown = options.environmentKnown ?? (options.env !== undefined || hostChecks);
  const found = new Map<string, LintDiagnostic>();
  let suppressions: Suppression[] | undefined;

  // HPM_RUN can only change what is read through `.if defined(HPM_RUN)` or "$HPM_RUN": a text
  // that never names it reads the same for both readers, so it is parsed (and modelled) once.
  const namesHpmRun = sources.some((s) => s.text.includes('HPM_RUN'));
  let sharedRead: { files: ConfigFile[]; diagnostics: Diagnostic[]; model: ConfigModel } | undefined;
  for (const view of views) {
    const env = envFor(view, options);
    const read = sharedRead ?? (options.alreadyRead?.view === view ? options.alreadyRead : readConfiguration(sources, env, options));
    const { files, diagnostics, model } = read;
    // Keep this reader's ASTs alive only when the next reader can reuse them (memory on big files).
    if (!namesHpmRun) sharedRead = read;
    // Comments are the same for both readers: read the suppressions once.
    suppressions ??= files.flatMap(collectSuppressions);
    for (const rule of RULES) {
      const severity = severityOf(rule, options);
      if (!severity || !rule.meta.views.includes(view)) continue;
      if (rule.meta.hostCheck && !hostChecks) continue;
      if (view === 'haproxy' && !appliesToVersion(rule.meta, options.haproxyVersion)) continue;
      rule.check({
        view,
        files,
        model,
        parserDiagnostics: diagnostics,
        ...(options.haproxyVersion ? { haproxyVersion: options.haproxyVersion } : {}),
        masterWorker: options.masterWorker ?? false,
        accounts,
        env,
        environmentKnown,
        report(finding) {
          const key = findingKey(rule.meta.id, finding);
          if (found.has(key)) return;
          found.set(key, { ruleId: rule.meta.id, severity, ...finding });
        },
      });
    }
    // A parser diagnostic no rule owns (an internal grammar error) must not vanish.
    for (const d of diagnostics) {
      if (RULES_BY_ID.has(d.ruleId)) continue;
      const key = findingKey(d.ruleId, d);
      if (!found.has(key)) found.set(key, { ...d, severity: 'error' });
    }
  }

  suppressions ??= [];
  const kept = applySuppressions([...found.values()], suppressions);
  const unusedRule = RULES_BY_ID.get('hpm/unused-suppression')!;
  const unusedSeverity = severityOf(unusedRule, options);
  if (unusedSeverity) {
    for (const f of unusedSuppressionFindings(suppressions, new Set(RULES_BY_ID.keys()))) kept.push({ ruleId: unusedRule.meta.id, severity: unusedSeverity, ...f });
  }
  return summarize(
    sources.map((s) => s.file),
    kept,
  );
}

/** Groups diagnostics by file (in the order the files were given), sorted by position. */
export function summarize(fileNames: readonly string[], diagnostics: readonly LintDiagnostic[]): LintResult {
  const names = [...fileNames];
  for (const d of diagnostics) if (!names.includes(d.file)) names.push(d.file);
  const results: FileResult[] = names.map((file) => {
    const own = diagnostics
      .filter((d) => d.file === file)
      .sort((a, b) => a.span.start.offset - b.span.start.offset || a.ruleId.localeCompare(b.ruleId));
    return { file, diagnostics: own, errorCount: own.filter((d) => d.severity === 'error').length, warningCount: own.filter((d) => d.severity === 'warning').length };
  });
  return {
    results,
    errorCount: results.reduce((n, r) => n + r.errorCount, 0),
    warningCount: results.reduce((n, r) => n + r.warningCount, 0),
  };
}
