/** A quote is not closed before the end of the line (HAProxy has no line continuation). */
import { parserRule } from '../support.js';

export const rule = parserRule({
  id: 'syntax/unmatched-quote',
  defaultSeverity: 'error',
  description: 'A quote is not closed before the end of the line (HAProxy has no line continuation).',
});
