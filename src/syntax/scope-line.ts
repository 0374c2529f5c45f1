/** Scope lines `[name]` (§1.2): a name of identifier characters, then only blanks or a comment (checked with 2.6). */
import type { Line, Span } from './ast.js';
import { pointSpan, type ReportFinding } from './report.js';

export function checkScopeLine(line: Line, report: ReportFinding): void {
  const text = line.scope!;
  const start = line.span.start.offset + line.indent.length;
  const at = (i: number): Span => pointSpan({ offset: start + i, line: line.number, column: line.indent.length + i + 1 });
  const close = text.indexOf(']');
  if (close <= 1) return report({ code: 'scope-empty-name' }, at(0));
  for (let i = 1; i < close; i++) {
    if (!/[A-Za-z0-9._:-]/.test(text[i]!)) return report({ code: 'scope-bad-name-char', char: text[i]! }, at(i));
  }
  let i = close + 1;
  while (i < text.length && /[ \t\v\f\r]/.test(text[i]!)) i++;
  if (i < text.length && text[i] !== '#') report({ code: 'scope-text-after', char: text[i]! }, at(i));
}
