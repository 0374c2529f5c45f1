/** More than 64 words on one line; 64 words and a trailing blank count as 65 to HAProxy. */
import { haproxyMessage } from '../../../syntax/index.js';
import { parserRule } from '../support.js';

export const rule = parserRule(
  {
    id: 'syntax/too-many-words',
    defaultSeverity: 'error',
    description: 'More than 64 words on one line.',
  },
  (finding) => {
    if (finding.code !== 'too-many-words') return { message: haproxyMessage(finding) };
    const why = finding.trailingBlank ? '64 words and a trailing blank, which HAProxy counts as the start of a 65th' : `this line has ${finding.wordCount} words`;
    return {
      message: `${haproxyMessage(finding)} (${why}; HAProxy allows at most 64)`,
      hint: finding.trailingBlank ? 'remove the blanks at the end of the line' : 'split the line or move the arguments into a file the program reads',
    };
  },
);
