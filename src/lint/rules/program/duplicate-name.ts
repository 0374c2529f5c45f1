/** Two program sections with the same name, in one file or across the files of one configuration. */
import { argumentWord, defineRule } from '../support.js';

export const rule = defineRule(
  { id: 'program/duplicate-name', defaultSeverity: 'error', description: 'A second program section with the same name, across all files of the configuration.' },
  (context) => {
    const seen = new Map<string, { file: string; line: number }>();
    for (const program of context.model.programs) {
      if (program.name === '') continue;
      const first = seen.get(program.name);
      if (!first) {
        seen.set(program.name, { file: program.file, line: program.header.number });
        continue;
      }
      context.report({
        file: program.file,
        span: (argumentWord(program.header, 0) ?? program.header.words[0]!).span,
        message: `'${program.name}' program section already exists in the configuration.`,
        hint: `the first one is at ${first.file}:${first.line}; rename one of them`,
      });
    }
  },
);
