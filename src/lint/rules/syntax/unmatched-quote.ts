/** A quote is not closed before the end of the line (HAProxy has no line continuation). */
import { haproxyMessage } from '../../../syntax/index.js';
import { parserRule } from '../support.js';

export const rule = parserRule(
  {
    id: 'syntax/unmatched-quote',
    defaultSeverity: 'error',
    description: 'A quote is not closed before the end of the line (HAProxy has no line continuation).',
  },
  (finding) => ({ message: haproxyMessage(finding), hint: 'close the quote on the same line: HAProxy has no line continuation' }),
);
