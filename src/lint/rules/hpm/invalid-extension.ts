/** An hpm-run extension keyword with a bad value (`restart sometimes`, `stop-timeout 5 parsecs`, `umask 999`). */
import { defineRule } from '../support.js';

export const rule = defineRule(
  { id: 'hpm/invalid-extension', defaultSeverity: 'error', description: 'An hpm-run extension keyword with a value hpm-run does not understand.', versions: { from: '2.0' }, views: ['hpm-run'] },
  (context) => {
    for (const program of context.model.programs) {
      for (const use of program.extensionUses) {
        const { parsed } = use;
        if (parsed.ok || parsed.problem) continue; // signals and addresses: hpm/unknown-signal, hpm/invalid-ready-address
        const words = use.line.words;
        context.report({
          file: program.file,
          span: { start: (words[1] ?? words[0]!).span.start, end: words[words.length - 1]!.span.end },
          message: parsed.message,
          hint: parsed.hint,
        });
      }
    }
  },
);
