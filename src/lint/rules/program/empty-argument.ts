/**
 * An empty word in `command` (`""`, `''`, an empty or unset `"${VAR}"`): HAProxy 2.x silently
 * drops it and every later argument; 3.2 warns; 3.3 refuses it (§1.4).
 */
import { defineRule } from '../support.js';
import { unknownReferences } from './environment.js';

export const rule = defineRule(
  { id: 'program/empty-argument', defaultSeverity: 'error', description: "An empty word in 'command': HAProxy silently drops it and every later argument.", versions: { from: '2.0' } },
  (context) => {
    for (const program of context.model.programs) {
      for (const use of program.commands) {
        const line = use.line;
        if (line.emptyWordIndex === undefined || use.args.length === 0) continue;
        const word = line.words[line.emptyWordIndex]!;
        // Empty only because the run does not know the variable: program/environment-dependent says so.
        if (unknownReferences(context, word).some((r) => !r.hasDefault)) continue;
        const dropped = line.words.length - line.emptyWordIndex - 1;
        const fromVariable = /\$/.test(word.raw);
        context.report({
          file: program.file,
          span: word.span,
          message: `empty argument ${word.raw} in 'command': HAProxy ends the argument list here${dropped > 0 ? ` and silently drops the ${dropped} word${dropped > 1 ? 's' : ''} after it` : ''}`,
          hint: fromVariable
            ? 'the variable is empty or unset here: give it a default ("${NAME-value}") or set it in global with setenv'
            : "remove the empty word; pass an empty argument through a shell: command sh -c 'exec prog \"\" more'",
        });
      }
    }
  },
);
