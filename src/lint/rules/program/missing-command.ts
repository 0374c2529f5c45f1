/**
 * A program section with no `command`, or a `command` with no word. A section with a line HAProxy
 * could not tokenize (an unmatched quote, `"$(date)"`) is not charged with a missing command:
 * that line may well be the command, and HAProxy reports only the tokenizer error.
 */
import { defineRule, keywordWord } from '../support.js';

export const rule = defineRule(
  { id: 'program/missing-command', defaultSeverity: 'error', description: "A program section without 'command', or a 'command' with no word." },
  (context) => {
    for (const program of context.model.programs) {
      const empty = program.commands.filter((use) => use.args.length === 0);
      for (const use of empty) {
        context.report({
          file: program.file,
          span: keywordWord(use.line)!.span,
          message: "'command' expects a command with optional arguments separated in words.",
          hint: 'command <path-or-name> [arguments...]',
        });
      }
      const unreadable = program.section.lines.some((line) => line.kind === 'statement' && line.active && line.args === undefined);
      if (program.argv === undefined && empty.length === 0 && !unreadable) {
        context.report({
          file: program.file,
          span: program.header.words[0]!.span,
          message: `The program section '${program.name}' lacks a command to launch.`,
          hint: "add a 'command' line to the section",
        });
      }
    }
  },
);
