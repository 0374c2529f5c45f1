/**
 * Diagnostics and fixes for one open document, through hpm-lint's own command path (so the
 * project's .hpmrc.json / hpm.config.json applies as on the command line): the text is linted as
 * standard input named by the document's path.
 */
import { pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver/node';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { packageRoot } from '../package-info.js';
import { runLint, type LintRequest } from '../lint/command.js';
import { findConfigFile, readConfigFile } from '../lint/config.js';
import { RULES_BY_ID } from '../lint/registry.js';
import type { Fix, LintDiagnostic } from '../lint/types.js';
import { DEFAULT_HAPROXY_VERSION } from '../model/keywords/index.js';
import { documentPath } from './documents.js';

/** What the editor may set (initializationOptions, or the `hpm` section of its settings). */
export interface LintSettings {
  haproxyVersion?: string;
  masterWorker?: boolean;
  hostChecks?: boolean;
  /** NAME[=VALUE] for `.if defined()` and "$NAME". */
  defines?: string[];
}

/** What a quick fix needs, carried in the LSP diagnostic's `data`. */
export interface DiagnosticData {
  fix?: Fix;
}

function request(document: TextDocument, settings: LintSettings, fix: boolean): LintRequest {
  return {
    paths: [],
    format: 'json',
    defines: settings.defines ?? [],
    rules: [],
    fix,
    stdin: true,
    stdinFilename: documentPath(document.uri),
    readStdin: () => Buffer.from(document.getText(), 'utf8'),
    view: 'both',
    colorLevel: 0,
    ...(settings.haproxyVersion !== undefined ? { haproxyVersion: settings.haproxyVersion } : {}),
    ...(settings.masterWorker !== undefined ? { masterWorker: settings.masterWorker } : {}),
    ...(settings.hostChecks !== undefined ? { hostChecks: settings.hostChecks } : {}),
  };
}

/** The rule's docs page in the installed package, as a file: URL editors can open. */
export function ruleDocsUrl(ruleId: string): string | undefined {
  const meta = RULES_BY_ID.get(ruleId)?.meta;
  const root = packageRoot();
  return meta && root ? pathToFileURL(join(root.dir, meta.docs)).href : undefined;
}

function toLspDiagnostic(document: TextDocument, d: LintDiagnostic): LspDiagnostic {
  const href = ruleDocsUrl(d.ruleId);
  const data: DiagnosticData = d.fix ? { fix: d.fix } : {};
  return {
    range: { start: document.positionAt(d.span.start.offset), end: document.positionAt(d.span.end.offset) },
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.ruleId,
    ...(href ? { codeDescription: { href } } : {}),
    source: 'hpm-lint',
    message: d.hint ? `${d.message}\n(hint: ${d.hint})` : d.message,
    data,
  };
}

/** The document's diagnostics, or one diagnostic at the top saying why it could not be linted. */
export function lintDocument(document: TextDocument, settings: LintSettings): LspDiagnostic[] {
  const run = runLint(request(document, settings, false));
  if (!run.result) {
    const message = run.errors.trim() || 'hpm-lint could not lint this file';
    return [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Error, source: 'hpm-lint', message }];
  }
  return run.result.results.flatMap((r) => r.diagnostics).map((d) => toLspDiagnostic(document, d));
}

/** The text after every safe fix (`hpm-lint --fix`), or undefined when nothing changes. */
export function fixedText(document: TextDocument, settings: LintSettings): string | undefined {
  const run = runLint(request(document, settings, true));
  if (!run.result || run.output === document.getText()) return undefined;
  return run.output;
}

/**
 * The HAProxy version hover and completion describe, as linting picks it: the editor's setting,
 * else the project's config file near the document, else the default (3.2). A version the linter
 * would refuse (it says so in a diagnostic) falls back to the default here.
 */
export function targetedVersion(document: TextDocument, settings: LintSettings): string {
  let version = settings.haproxyVersion;
  if (version === undefined) {
    try {
      const path = findConfigFile(dirname(documentPath(document.uri)));
      version = path ? readConfigFile(path).haproxyVersion : undefined;
    } catch {
      /* a broken config file: linting reports it */
    }
  }
  return version !== undefined && /^\d+\.\d+(\.\d+)?$/.test(version) ? version : DEFAULT_HAPROXY_VERSION;
}
