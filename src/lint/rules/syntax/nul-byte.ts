/**
 * A NUL byte: HAProxy loses the rest of the line and stops reading the file ("Stray NUL
 * character"), or calls the last line truncated. The parser finds the first NUL of every line,
 * comments included, since HAProxy checks the whole physical line.
 */
import { parserRule } from '../support.js';

export const rule = parserRule({
  id: 'syntax/nul-byte',
  defaultSeverity: 'error',
  description: 'A NUL byte in the file: HAProxy loses the rest of the line and stops reading.',
});
