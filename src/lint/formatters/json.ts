/** ESLint's JSON formatter shape, so tools that read ESLint results read these. */
import { resolve } from 'node:path';
import type { LintResult } from '../types.js';
import type { LintFormatOptions } from './index.js';

export interface EslintMessage {
  ruleId: string | null;
  severity: 1 | 2;
  message: string;
  line: number;
  column: number;
  nodeType: null;
  endLine: number;
  endColumn: number;
  fix?: { range: [number, number]; text: string };
}

export interface EslintResult {
  filePath: string;
  messages: EslintMessage[];
  suppressedMessages: EslintMessage[];
  errorCount: number;
  fatalErrorCount: number;
  warningCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
  usedDeprecatedRules: [];
}

export function toEslintResults(result: LintResult, options: Pick<LintFormatOptions, 'cwd'>): EslintResult[] {
  return result.results.map((file) => {
    const messages: EslintMessage[] = file.diagnostics.map((d) => ({
      ruleId: d.ruleId,
      severity: d.severity === 'error' ? 2 : 1,
      message: d.hint ? `${d.message} (hint: ${d.hint})` : d.message,
      line: d.span.start.line,
      column: d.span.start.column,
      nodeType: null,
      endLine: d.span.end.line,
      endColumn: d.span.end.column,
      ...(d.fix ? { fix: { range: d.fix.range, text: d.fix.text } } : {}),
    }));
    return {
      filePath: resolve(options.cwd ?? process.cwd(), file.file),
      messages,
      suppressedMessages: [],
      errorCount: file.errorCount,
      fatalErrorCount: file.diagnostics.filter((d) => d.severity === 'error' && d.ruleId.startsWith('syntax/')).length,
      warningCount: file.warningCount,
      fixableErrorCount: file.diagnostics.filter((d) => d.fix && d.severity === 'error').length,
      fixableWarningCount: file.diagnostics.filter((d) => d.fix && d.severity === 'warning').length,
      usedDeprecatedRules: [],
    };
  });
}

export function formatJson(result: LintResult, options: LintFormatOptions): string {
  return JSON.stringify(toEslintResults(result, options)) + '\n';
}
