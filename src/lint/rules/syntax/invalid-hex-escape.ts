/** `\\x` is not followed by two hex digits. */
import { parserRule } from '../support.js';

export const rule = parserRule({
  id: 'syntax/invalid-hex-escape',
  defaultSeverity: 'error',
  description: '\\x is not followed by two hex digits.',
});
