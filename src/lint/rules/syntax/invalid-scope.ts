/** A `[name]` scope line that HAProxy rejects: empty name, a character not allowed in the name, or text after `]`. */
import { haproxyMessage } from '../../../syntax/index.js';
import { parserRule } from '../support.js';

export const rule = parserRule(
  {
    id: 'syntax/invalid-scope',
    defaultSeverity: 'error',
    description: 'A `[name]` scope line that HAProxy rejects: an empty name, a character not allowed in a name, or text after the `]`.',
  },
  (finding) => ({
    message: haproxyMessage(finding),
    hint: 'scope lines ([name]) only matter in SPOE files; a name is made of letters, digits, ".", "-", "_" and ":"',
  }),
);
