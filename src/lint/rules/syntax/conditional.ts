/**
 * Unbalanced or misplaced `.if/.elif/.else/.endif`, or a condition HAProxy cannot parse.
 * HAProxy charges a non-terminated `.if` to the last line of the file, so that is where it is
 * reported; the message names the line of the `.if`.
 */
import { parserRule } from '../support.js';

export const rule = parserRule(
  {
    id: 'syntax/conditional',
    defaultSeverity: 'error',
    description: "Unbalanced or misplaced '.if/.elif/.else/.endif', or a condition HAProxy cannot parse.",
  },
  (d, context) => {
    if (!d.message.startsWith("non-terminated '.if'")) return undefined;
    const file = context.files.find((f) => f.file === d.file);
    const last = file?.lines[file.lines.length - 1];
    if (!last || last.number === d.span.start.line) return undefined;
    return { span: last.span, message: `non-terminated '.if' block (opened on line ${d.span.start.line}).` };
  },
);
