/**
 * An hpm-run extension keyword (`restart`, `after`, `env`, ... see model/extensions.ts) outside
 * `.if defined(HPM_RUN)`: HAProxy reads it as an unknown keyword (and crashes on the next line).
 * The fix wraps each run of consecutive extension lines in the guard.
 */
import type { Line } from '../../../syntax/index.js';
import { wrapInHpmRunGuard } from '../../guard.js';
import { isExtensionKeyword } from '../../../model/index.js';
import { defineRule } from '../support.js';

export const rule = defineRule(
  {
    id: 'hpm/unguarded-extension',
    defaultSeverity: 'error',
    description: "An hpm-run extension keyword that HAProxy would read: it belongs inside '.if defined(HPM_RUN)'.",
    versions: { from: '2.0' },
    views: ['haproxy'],
    fixable: true,
  },
  (context) => {
    for (const file of context.files) {
      const isUnguarded = (line: Line | undefined): line is Line =>
        !!line &&
        line.kind === 'statement' &&
        !line.hpmRunGuarded &&
        !line.modifier &&
        isExtensionKeyword(line.keyword ?? '') &&
        line.structuralSectionIndex !== undefined &&
        file.structuralSections[line.structuralSectionIndex]!.keyword === 'program';
      for (let i = 0; i < file.lines.length; i++) {
        if (!isUnguarded(file.lines[i])) continue;
        const run: Line[] = [];
        while (isUnguarded(file.lines[i])) run.push(file.lines[i++]!);
        const fix = wrapInHpmRunGuard(file, run);
        for (const line of run) {
          context.report({
            file: file.file,
            span: line.words[0]!.span,
            message: `'${line.keyword}' is an hpm-run extension: HAProxy reads it here as an unknown keyword`,
            hint: "put it inside '.if defined(HPM_RUN)' ... '.endif' (--fix does it)",
            ...(fix ? { fix } : {}),
          });
        }
      }
    }
  },
);
