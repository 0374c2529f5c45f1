/** How the parser's reading steps hand a finding to the file's diagnostics. */
import type { Position, Span } from './ast.js';
import type { SyntaxFinding } from './findings.js';

/** Records a finding at a span (`hint` only for findings whose rule does not word its own yet). */
export type ReportFinding = (finding: SyntaxFinding, span: Span, hint?: string) => void;

/** A one-character span: where HAProxy puts its caret. */
export function pointSpan(at: Position): Span {
  return { start: at, end: { offset: at.offset + 1, line: at.line, column: at.column + 1 } };
}
