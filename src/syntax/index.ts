/**
 * The syntax layer's public face: `parse(text)` gives `{ ast, diagnostics }` and never throws;
 * `parseFiles()` reads several files as one configuration (shared env, as `haproxy -f a -f b`).
 */
import type { ConfigFile, Diagnostic, ParseResult } from './ast.js';
import { buildAst, type ParseOptions, type ReaderState } from './build.js';

export type { ParseOptions, ReaderState } from './build.js';
export * from './ast.js';
export { print, printLine } from './print.js';
export { cookWord, type Env, type CookContext } from './cook.js';
export { evaluateCondition, compareVersions, DEFAULT_FEATURES, type ConditionContext } from './conditions.js';
export { applyEnvKeyword, ENV_KEYWORDS } from './env-keywords.js';
export { haproxyMessage, RULE_OF_CODE, type FindingOf, type SyntaxCode, type SyntaxFinding } from './findings.js';
export { ALL_SECTION_KEYWORDS, sectionKeywordsOf, sectionKeywordSince } from './sections.js';

export function parse(text: string, options: ParseOptions = {}): ParseResult {
  const ast = buildAst(text, options);
  return { ast, diagnostics: ast.diagnostics };
}

export interface SourceText {
  file: string;
  text: string;
  /** How the text was decoded (see ParseOptions.encoding). */
  encoding?: 'utf8' | 'latin1';
}

/** Several files read in order as one configuration: `global` setenv in one applies to the next. */
export function parseFiles(sources: readonly SourceText[], options: Omit<ParseOptions, 'file'> = {}): { files: ConfigFile[]; diagnostics: Diagnostic[] } {
  const state: ReaderState = { env: { ...(options.env ?? {}) } };
  const files = sources.map((s) => buildAst(s.text, { ...options, file: s.file, ...(s.encoding ? { encoding: s.encoding } : {}) }, state));
  return { files, diagnostics: files.flatMap((f) => f.diagnostics) };
}
