/** `program` with no name, or with an empty one (`program ""`): HAProxy aborts. */
import { argumentWord, defineRule } from '../support.js';

export const rule = defineRule(
  { id: 'program/missing-name', defaultSeverity: 'error', description: "A 'program' section without a name, or with an empty one." },
  (context) => {
    for (const program of context.model.programs) {
      if (program.name !== '') continue;
      const empty = argumentWord(program.header, 0);
      context.report({
        file: program.file,
        span: (empty ?? program.header.words[0]!).span,
        message: "'program' expects an <id> argument",
        hint: 'name the program: program <name>',
      });
    }
  },
);
