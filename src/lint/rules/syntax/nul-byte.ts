/**
 * A NUL byte: HAProxy loses the rest of the line and stops reading the file ("Stray NUL
 * character"), or calls the last line truncated. The parser reports NULs in words; a NUL inside
 * a comment is found here from the text, since HAProxy checks the whole physical line.
 */
import { parserRule } from '../support.js';

export const rule = parserRule({
  id: 'syntax/nul-byte',
  defaultSeverity: 'error',
  description: 'A NUL byte in the file: HAProxy loses the rest of the line and stops reading.',
});

const reportParserFindings = rule.check;
rule.check = (context) => {
  reportParserFindings(context);
  const reported = new Set(context.parserDiagnostics.filter((d) => d.ruleId === rule.meta.id).map((d) => `${d.file}:${d.span.start.line}`));
  for (const file of context.files) {
    const last = file.lines[file.lines.length - 1];
    // One scan of the text for NULs, then the line of each (lines are sorted by offset).
    let lineIndex = 0;
    for (let at = file.text.indexOf('\0'); at >= 0; at = file.text.indexOf('\0', at + 1)) {
      while (lineIndex < file.lines.length - 1 && file.lines[lineIndex]!.span.end.offset <= at) lineIndex++;
      const line = file.lines[lineIndex]!;
      if (reported.has(`${file.file}:${line.number}`)) continue;
      reported.add(`${file.file}:${line.number}`);
      const column = at - line.span.start.offset + 1;
      context.report({
        file: file.file,
        span: { start: { offset: at, line: line.number, column }, end: { offset: at + 1, line: line.number, column: column + 1 } },
        message: line === last ? `Missing LF on last line, file might have been truncated at position ${column}.` : `Stray NUL character at position ${column}.`,
        hint: 'remove the NUL byte: HAProxy stops reading the file there',
      });
    }
  }
};
