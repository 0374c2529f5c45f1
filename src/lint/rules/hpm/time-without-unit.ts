/**
 * `stop-timeout 30` or `ready-timeout 5`: a bare number is milliseconds in HAProxy's time format,
 * and below a second that is surely not what was meant for these timeouts.
 */
import { defineRule } from '../support.js';

const TIMEOUT_KEYWORDS = ['stop-timeout', 'ready-timeout'];

export const rule = defineRule(
  { id: 'hpm/time-without-unit', defaultSeverity: 'warning', description: 'A timeout written as a bare number below 1000: milliseconds, surely meant as seconds.', versions: { from: '2.0' }, views: ['hpm-run'] },
  (context) => {
    for (const program of context.model.programs) {
      for (const use of program.extensionUses) {
        if (!TIMEOUT_KEYWORDS.includes(use.line.keyword!) || use.args.length !== 1) continue;
        const text = use.args[0]!;
        if (!/^\d+$/.test(text) || Number(text) === 0 || Number(text) >= 1000) continue;
        context.report({
          file: program.file,
          span: use.line.words[1]!.span,
          message: `'${use.line.keyword} ${text}' is ${text} milliseconds: a bare number has no unit`,
          hint: `write the unit: ${text}s for seconds, or ${text}ms if milliseconds are meant`,
        });
      }
    }
  },
);
