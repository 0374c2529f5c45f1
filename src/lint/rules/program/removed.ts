/**
 * HAProxy 3.3 removed `program`. A section HAProxy would read is an error; the fix wraps it in
 * `.if defined(HPM_RUN)` ... `.endif` so that only hpm-run reads it.
 */
import type { ConfigFile, Line } from '../../../syntax/index.js';
import { conditionsBalanced, wrapInHpmRunGuard } from '../../guard.js';
import { defineRule } from '../support.js';

/** The lines of the section opened by `header`, without trailing blanks/comments or dangling `.if`s. */
function sectionLines(file: ConfigFile, header: Line): Line[] {
  const section = file.structuralSections[header.structuralSectionIndex!];
  const lines = [header, ...(section?.lines ?? [])];
  while (lines.length > 1 && ['blank', 'comment'].includes(lines[lines.length - 1]!.kind)) lines.pop();
  while (lines.length > 1 && !conditionsBalanced(lines)) lines.pop();
  return lines;
}

export const rule = defineRule(
  {
    id: 'program/removed',
    defaultSeverity: 'error',
    description: "HAProxy 3.3+ has no 'program' section: HAProxy would read this one and fail.",
    versions: { from: '3.3' },
    views: ['haproxy'],
    fixable: true,
  },
  (context) => {
    for (const file of context.files) {
      for (const line of file.lines) {
        if (line.kind !== 'section' || line.keyword !== 'program' || !line.active) continue;
        const fix = wrapInHpmRunGuard(file, sectionLines(file, line));
        context.report({
          file: file.file,
          span: line.words[0]!.span,
          message: `HAProxy ${context.haproxyVersion ?? '3.3'} has no 'program' section (removed in 3.3): unknown keyword 'program'`,
          hint: "wrap the section in '.if defined(HPM_RUN)' ... '.endif' and run it with hpm-run (--fix does it)",
          ...(fix ? { fix } : {}),
        });
      }
    }
  },
);
