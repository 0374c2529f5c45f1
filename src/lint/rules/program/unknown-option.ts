/** `option` without a name, or with a name other than `start-on-reload`. */
import { argumentWord, closest, defineRule, keywordWord } from '../support.js';
import { parserArguments } from './facts.js';

export const rule = defineRule(
  { id: 'program/unknown-option', defaultSeverity: 'error', description: "An 'option' other than 'start-on-reload', or 'option' with no name." },
  (context) => {
    for (const program of context.model.programs) {
      for (const use of program.options) {
        const args = parserArguments(use.line);
        if (args.length === 0) {
          context.report({ file: program.file, span: keywordWord(use.line)!.span, message: "'option' expects an option name.", hint: "the only option is 'start-on-reload'" });
        } else if (args[0] !== 'start-on-reload') {
          const meant = closest(args[0]!, ['start-on-reload']);
          context.report({
            file: program.file,
            span: (argumentWord(use.line, 0) ?? use.line.words[0]!).span,
            message: `unknown option '${args[0]}'.`,
            hint: meant ? `did you mean '${meant}'?` : "the only option of a program section is 'start-on-reload'",
          });
        }
      }
    }
  },
);
