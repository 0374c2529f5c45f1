/** `no`/`default` in front of anything but `option`, and `default option` (always rejected, §1.8). */
import { defineRule } from '../support.js';

export const rule = defineRule(
  { id: 'program/invalid-modifier', defaultSeverity: 'error', description: "'no' or 'default' on a keyword other than 'option'; 'default option', which HAProxy always rejects." },
  (context) => {
    for (const program of context.model.programs) {
      for (const line of program.section.lines) {
        if (line.kind !== 'statement' || !line.modifier || !line.active) continue;
        const span = line.words[0]!.span;
        if (line.keyword !== 'option') {
          context.report({
            file: program.file,
            span,
            message: 'negation/default currently supported only for options, log, busy-polling, set-dumpable, strict-limits, insecure-fork-wanted and numa-cpu-mapping.',
            hint: `remove '${line.modifier}'`,
          });
        } else if (line.modifier === 'default') {
          context.report({
            file: program.file,
            span,
            message: `'default option' is always rejected by HAProxy 2.6-3.2 ('option ${line.args?.[2] ?? ''}' cannot handle unexpected argument '${line.args?.[line.args.length - 1] ?? ''}').`,
            hint: "'option start-on-reload' is already the default: remove the line",
          });
        }
      }
    }
  },
);
