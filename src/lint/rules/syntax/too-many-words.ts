/** More than 64 words on one line. */
import { parserRule } from '../support.js';

export const rule = parserRule({
  id: 'syntax/too-many-words',
  defaultSeverity: 'error',
  description: 'More than 64 words on one line.',
});
