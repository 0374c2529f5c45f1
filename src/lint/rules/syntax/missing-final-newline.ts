/** The last line does not end with LF: HAProxy refuses the whole file. Fix: append one. */
import { haproxyMessage } from '../../../syntax/index.js';
import { parserRule } from '../support.js';

export const rule = parserRule(
  {
    id: 'syntax/missing-final-newline',
    defaultSeverity: 'error',
    description: 'The last line does not end with LF, which is fatal for HAProxy.',
    fixable: true,
  },
  (finding) => ({ message: haproxyMessage(finding), hint: 'end the file with a newline' }),
);

// The fix needs the file's length, which parserRule does not know: wrap its check.
const reportParserFinding = rule.check;
rule.check = (context) =>
  reportParserFinding({
    ...context,
    report: (finding) => {
      const file = context.files.find((f) => f.file === finding.file);
      const end = file?.text.length ?? finding.span.start.offset;
      context.report({ ...finding, fix: { range: [end, end], text: '\n' } });
    },
  });
