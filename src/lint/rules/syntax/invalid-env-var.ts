/**
 * Bad $ or ${...} syntax inside double quotes, and HAProxy 2.6's misreading of a
 * `${NAME-default}` on a line that makes its tokenizer buffer grow (the line is read twice).
 */
import { haproxyMessage } from '../../../syntax/index.js';
import { parserRule } from '../support.js';

export const rule = parserRule(
  {
    id: 'syntax/invalid-env-var',
    defaultSeverity: 'error',
    description: 'Bad $ or ${...} syntax inside double quotes.',
  },
  (finding) => ({
    message: haproxyMessage(finding),
    hint:
      finding.code === 'env-var-default-reread'
        ? 'HAProxy (2.6 and 3.2 observed) rejects a ${NAME-default} on a line that is longer than every line before it in the file (the first line, or past a multiple of 1 KiB): put a comment line first, or avoid the default'
        : 'inside double quotes, $ starts a variable: write \\$ for a literal dollar, ${NAME} or ${NAME-default} for a variable',
  }),
);
