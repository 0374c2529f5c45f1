/** Words HAProxy refuses after `program <name>`, `user <name>`, `group <name>` or `option start-on-reload`. */
import { argumentWord, defineRule, spanOfWords } from '../support.js';
import { parserArguments } from './facts.js';

export const rule = defineRule(
  { id: 'program/extra-argument', defaultSeverity: 'error', description: "An argument too many after 'program <name>', 'user', 'group' or 'option start-on-reload'." },
  (context) => {
    for (const program of context.model.programs) {
      const header = program.header;
      const headerArgs = header.args ?? [];
      if (headerArgs.length > 2 && program.name !== '') {
        const word = argumentWord(header, 1);
        context.report({
          file: program.file,
          span: word ? spanOfWords(word, header.words[header.words.length - 1]) : header.span,
          message: `'program' cannot handle unexpected argument '${headerArgs[2]}'.`,
          hint: `quote the name if it has spaces: program "${headerArgs.slice(1).join(' ')}"`,
        });
      }
      for (const use of [...program.users, ...program.groups, ...program.options]) {
        const line = use.line;
        const keyword = line.keyword!;
        if (line.modifier === 'default') continue; // program/invalid-modifier explains that case
        const args = parserArguments(line);
        const allowed = keyword === 'option' ? (args[0] === 'start-on-reload' ? 1 : Infinity) : 1;
        if (args.length <= allowed) continue;
        const extra = argumentWord(line, allowed);
        const label = keyword === 'option' ? 'option start-on-reload' : keyword;
        context.report({
          file: program.file,
          span: extra ? spanOfWords(extra, line.words[line.words.length - 1]) : line.span,
          message: `'${label}' cannot handle unexpected argument '${args[allowed]}'.`,
          hint: keyword === 'option' ? "'option start-on-reload' takes no argument" : `'${keyword}' takes exactly one name`,
        });
      }
    }
  },
);
