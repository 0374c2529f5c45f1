/**
 * For people: `file:line:col  severity  message  rule-id`, a code frame with a caret under the
 * span, the hint, and a summary line. Colours only when the caller says so (TTY, FORCE_COLOR).
 */
import { createRequire } from 'node:module';
import type { ChalkInstance } from 'chalk';
import type { LintDiagnostic, LintResult } from '../types.js';
import type { LintFormatOptions } from './index.js';

// chalk and @babel/code-frame take ~15 ms to load: only when there is something to print.
const require = createRequire(import.meta.url);
const loadCodeFrame = () => (require('@babel/code-frame') as typeof import('@babel/code-frame')).codeFrameColumns;
const loadChalk = (level: LintFormatOptions['colorLevel']): ChalkInstance => new (require('chalk') as typeof import('chalk')).Chalk({ level });

function frame(text: string | undefined, d: LintDiagnostic): string | undefined {
  if (text === undefined) return undefined;
  const { start, end } = d.span;
  const endOnLine = end.line === start.line ? end : { line: start.line, column: start.column + 1 };
  return loadCodeFrame()(text, { start: { line: start.line, column: start.column }, end: { line: endOnLine.line, column: Math.max(endOnLine.column, start.column + 1) } }, { highlightCode: false, linesAbove: 1, linesBelow: 1 });
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function formatStylish(result: LintResult, options: LintFormatOptions): string {
  if (result.errorCount + result.warningCount === 0 && result.results.every((file) => file.diagnostics.length === 0)) return '';
  const c = loadChalk(options.colorLevel);
  const out: string[] = [];
  let fixable = 0;
  for (const file of result.results) {
    if (file.diagnostics.length === 0) continue;
    out.push(c.underline(file.file));
    for (const d of file.diagnostics) {
      if (d.fix) fixable++;
      const severity = d.severity === 'error' ? c.red('error') : c.yellow('warning');
      out.push(`  ${c.bold(`${d.file}:${d.span.start.line}:${d.span.start.column}`)}  ${severity}  ${d.message}  ${c.dim(d.ruleId)}`);
      const codeFrame = frame(options.texts.get(d.file), d);
      if (codeFrame) out.push(codeFrame.replace(/^/gm, '    '));
      if (d.hint) out.push(`    ${c.cyan('hint:')} ${d.hint}`);
      out.push('');
    }
  }
  const problems = result.errorCount + result.warningCount;
  if (problems > 0) {
    const mark = result.errorCount > 0 ? c.red.bold('✖') : c.yellow.bold('⚠');
    out.push(`${mark} ${plural(problems, 'problem')} (${plural(result.errorCount, 'error')}, ${plural(result.warningCount, 'warning')})`);
    if (fixable > 0) out.push(`  ${plural(fixable, 'problem')} potentially fixable with the --fix option.`);
  }
  return out.length > 0 ? out.join('\n') + '\n' : '';
}
