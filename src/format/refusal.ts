/**
 * Broken input is refused (spec format.md promise 4): which diagnostics stop the formatter, and
 * the Prettier-style error it throws so that nothing is written.
 */
import type { Diagnostic } from '../syntax/index.js';

/**
 * Errors after which the formatter cannot promise the same meaning: a line HAProxy cannot
 * tokenize (its words are unknown), a NUL byte (HAProxy drops the rest), a broken `.if`
 * structure (the layout follows it). Other diagnostics (a missing final LF, a keyword out of
 * section, an unknown directive) say nothing about the words, so the file is formatted.
 */
const REFUSING_RULES = new Set([
  'syntax/unmatched-quote',
  'syntax/invalid-hex-escape',
  'syntax/invalid-env-var',
  'syntax/too-many-words',
  'syntax/nul-byte',
  'syntax/conditional',
  'syntax/internal',
]);

export function refusingDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === 'error' && REFUSING_RULES.has(d.ruleId));
}

export function describeDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.span.start.line}:${d.span.start.column}: ${d.message} (${d.ruleId})${d.hint ? `\n  hint: ${d.hint}` : ''}`;
}

/** The error Prettier expects from a parser: a SyntaxError with `loc` (1-based line and column). */
export interface FormatRefusal extends SyntaxError {
  loc: { start: { line: number; column: number }; end: { line: number; column: number } };
  diagnostics: Diagnostic[];
}

export function refusal(diagnostics: Diagnostic[]): FormatRefusal {
  const first = diagnostics[0]!;
  const lines = diagnostics.slice(0, 10).map(describeDiagnostic);
  if (diagnostics.length > 10) lines.push(`... and ${diagnostics.length - 10} more`);
  const error = new SyntaxError(`not formatted, ${diagnostics.length} syntax error${diagnostics.length === 1 ? '' : 's'}:\n${lines.join('\n')}`) as FormatRefusal;
  error.loc = {
    start: { line: first.span.start.line, column: first.span.start.column },
    end: { line: first.span.end.line, column: first.span.end.column },
  };
  error.diagnostics = diagnostics;
  return error;
}

/** An option value that would make the output unreadable for HAProxy. */
export function optionRefusal(message: string): SyntaxError {
  return new SyntaxError(message);
}
