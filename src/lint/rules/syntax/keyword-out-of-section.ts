/** A keyword before any section. */
import { parserRule } from '../support.js';

export const rule = parserRule({
  id: 'syntax/keyword-out-of-section',
  defaultSeverity: 'error',
  description: 'A keyword before any section.',
});
