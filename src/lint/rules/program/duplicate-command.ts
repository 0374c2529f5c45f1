/** A second `command`: HAProxy silently runs the last one. */
import { defineRule, keywordWord } from '../support.js';

export const rule = defineRule(
  { id: 'program/duplicate-command', defaultSeverity: 'error', description: "A second 'command' in a section: HAProxy silently keeps the last one." },
  (context) => {
    for (const program of context.model.programs) {
      const commands = program.commands.filter((use) => use.args.length > 0);
      for (const use of commands.slice(1)) {
        context.report({
          file: program.file,
          span: keywordWord(use.line)!.span,
          message: `a second 'command' in program '${program.name}': HAProxy silently replaces the one on line ${commands[0]!.line.number} with this one`,
          hint: "keep a single 'command' line",
        });
      }
    }
  },
);
