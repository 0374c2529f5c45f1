/** Bad $ or ${...} syntax inside double quotes. */
import { parserRule } from '../support.js';

export const rule = parserRule({
  id: 'syntax/invalid-env-var',
  defaultSeverity: 'error',
  description: 'Bad $ or ${...} syntax inside double quotes.',
});
