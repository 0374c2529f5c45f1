/** `stop-signal` or `reload-signal` with a word that names no signal (`stop-signal TERMINATE`). */
import { defineRule } from '../support.js';

export const rule = defineRule(
  { id: 'hpm/unknown-signal', defaultSeverity: 'error', description: "A 'stop-signal' or 'reload-signal' that names no signal.", versions: { from: '2.0' }, views: ['hpm-run'] },
  (context) => {
    for (const program of context.model.programs) {
      for (const use of program.extensionUses) {
        const { parsed } = use;
        if (parsed.ok || parsed.problem !== 'signal') continue;
        context.report({ file: program.file, span: use.line.words[1]!.span, message: parsed.message, hint: parsed.hint });
      }
    }
  },
);
