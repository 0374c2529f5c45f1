/** NUL bytes and the missing final LF (§1.1), with HAProxy's positions. */
import type { Line, Position } from './ast.js';
import { endOffsetOf, startOffsetOf } from './line-shape.js';
import { pointSpan, type ReportFinding } from './report.js';

export function checkLineEnds(text: string, lines: readonly Line[], report: ReportFinding): void {
  const last = lines[lines.length - 1];
  // HAProxy reads a physical line with fgets() and stops at its first NUL, wherever it stands:
  // in a word, a comment, a CR tail or a scope line. One scan of the text; lines are in order.
  let lineIndex = 0;
  for (let at = text.indexOf('\0'); at >= 0; ) {
    while (lineIndex < lines.length - 1 && endOffsetOf(lines[lineIndex]!) <= at) lineIndex++;
    const line = lines[lineIndex]!;
    const column = at - startOffsetOf(line) + 1;
    const where = pointSpan({ offset: at, line: line.number, column });
    report({ code: line !== last ? 'stray-nul' : 'nul-on-last-line', position: column }, where);
    at = text.indexOf('\0', endOffsetOf(line)); // one report per line: the rest of it is lost anyway
  }
  if (last && last.eol === '' && !last.nulTail) {
    const length = last.span.end.column - 1;
    const at: Position = { offset: last.span.end.offset, line: last.number, column: length + 1 };
    report({ code: 'missing-final-newline', position: length + 1 }, pointSpan(at));
  }
}
