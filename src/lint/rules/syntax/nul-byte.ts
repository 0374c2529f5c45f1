/**
 * A NUL byte: HAProxy loses the rest of the line and stops reading the file ("Stray NUL
 * character"), or calls the last line truncated. The parser finds the first NUL of every line,
 * comments included, since HAProxy checks the whole physical line.
 */
import { haproxyMessage } from '../../../syntax/index.js';
import { parserRule } from '../support.js';

export const rule = parserRule(
  {
    id: 'syntax/nul-byte',
    defaultSeverity: 'error',
    description: 'A NUL byte in the file: HAProxy loses the rest of the line and stops reading.',
  },
  (finding) => ({
    message: haproxyMessage(finding),
    hint: finding.code === 'stray-nul' ? 'remove the NUL byte: HAProxy stops reading the file there' : 'remove the NUL byte: HAProxy loses the rest of the line',
  }),
);
