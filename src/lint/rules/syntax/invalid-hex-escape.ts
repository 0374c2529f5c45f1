/** `\\x` is not followed by two hex digits. */
import { haproxyMessage } from '../../../syntax/index.js';
import { parserRule } from '../support.js';

export const rule = parserRule(
  {
    id: 'syntax/invalid-hex-escape',
    defaultSeverity: 'error',
    description: '\\x is not followed by two hex digits.',
  },
  (finding) => ({ message: haproxyMessage(finding), hint: 'write \\x followed by exactly two hex digits, or \\\\x for a literal backslash-x' }),
);
