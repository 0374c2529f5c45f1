/**
 * After an error that frees the program being parsed, HAProxy 2.0-3.2 segfaults on the first
 * later line of the same section that reaches the freed program: a well-formed `command`,
 * `option start-on-reload`, `user` or `group` (observed with 2.6.12 and 3.2.0: exit 139). A line
 * that is itself an error (an unknown keyword, `option foo`, `user` without a name) is only
 * reported by HAProxy, which goes on: no crash is claimed there.
 */
import { defineRule, keywordWord } from '../support.js';
import { freesProgramState } from './facts.js';

export const rule = defineRule(
  {
    id: 'program/crash-after-error',
    defaultSeverity: 'error',
    description: 'A valid program keyword line after an erroring line in the same section: HAProxy 2.0-3.2 crashes there.',
    views: ['haproxy'],
  },
  (context) => {
    for (const program of context.model.programs) {
      let freedBy: number | undefined;
      for (const line of program.section.lines) {
        if (line.kind !== 'statement' || !line.active || line.args === undefined) continue;
        const freesAgain = freesProgramState(line, context.haproxyVersion);
        if (freedBy !== undefined && !freesAgain) {
          context.report({
            file: program.file,
            span: keywordWord(line)!.span,
            message: `HAProxy 2.0-3.2 crashes (segmentation fault) on this line: the error on line ${freedBy} freed program '${program.name}'`,
            hint: `fix line ${freedBy}; HAProxy survives only if no valid keyword line follows it in the section`,
          });
          break;
        }
        if (freesAgain) freedBy ??= line.number;
      }
    }
  },
);
