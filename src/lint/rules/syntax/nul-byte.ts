/** A NUL byte in the file: HAProxy loses the rest of the line and stops reading. */
import { parserRule } from '../support.js';

export const rule = parserRule({
  id: 'syntax/nul-byte',
  defaultSeverity: 'error',
  description: 'A NUL byte in the file: HAProxy loses the rest of the line and stops reading.',
});
