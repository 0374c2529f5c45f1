/** `ready tcp` with something that is not `<host>:<port>` (`ready tcp localhost`, port 0 or above 65535). */
import { defineRule } from '../support.js';

export const rule = defineRule(
  { id: 'hpm/invalid-ready-address', defaultSeverity: 'error', description: "A 'ready tcp' address that is not <host>:<port>.", versions: { from: '2.0' }, views: ['hpm-run'] },
  (context) => {
    for (const program of context.model.programs) {
      for (const use of program.extensionUses) {
        const { parsed } = use;
        if (parsed.ok || parsed.problem !== 'address') continue;
        context.report({ file: program.file, span: use.line.words[2]!.span, message: parsed.message, hint: parsed.hint });
      }
    }
  },
);
