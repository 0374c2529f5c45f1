/**
 * After an error that frees the program being parsed, HAProxy 2.0-3.2 segfaults on the next
 * keyword line of the same section (§2.3, observed: exit 139). Reported on that next line.
 */
import { defineRule, keywordWord } from '../support.js';
import { freesProgramState } from './facts.js';

export const rule = defineRule(
  {
    id: 'program/crash-after-error',
    defaultSeverity: 'error',
    description: 'A keyword line after an erroring line in the same program section: HAProxy 2.0-3.2 crashes there.',
    views: ['haproxy'],
  },
  (context) => {
    for (const program of context.model.programs) {
      let freedBy: number | undefined;
      for (const line of program.section.lines) {
        if (line.kind !== 'statement' || !line.active || line.args === undefined) continue;
        if (freedBy !== undefined) {
          context.report({
            file: program.file,
            span: keywordWord(line)!.span,
            message: `HAProxy 2.0-3.2 crashes (segmentation fault) on this line: the error on line ${freedBy} freed program '${program.name}'`,
            hint: `fix line ${freedBy}; HAProxy only survives if nothing follows the bad line in the section`,
          });
          break;
        }
        if (freesProgramState(line, context.haproxyVersion)) freedBy = line.number;
      }
    }
  },
);
