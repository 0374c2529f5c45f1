/**
 * HAProxy 3.1/3.2 refuse `program` (a deprecation warning, then an abort) unless
 * `expose-deprecated-directives` appears in `global` above the first program section.
 */
import { defineRule } from '../support.js';

export const rule = defineRule(
  {
    id: 'program/deprecated',
    defaultSeverity: 'error',
    description: "HAProxy 3.1/3.2 refuse 'program' unless 'expose-deprecated-directives' precedes the first program in global.",
    versions: { from: '3.1', to: '3.2' },
    views: ['haproxy'],
  },
  (context) => {
    // Walk the configuration in reading order: the keyword must be seen before the first program.
    for (const file of context.files) {
      for (const line of file.lines) {
        if (!line.active) continue;
        if (line.kind === 'statement' && line.keyword === 'expose-deprecated-directives' && line.sectionIndex !== undefined && file.sections[line.sectionIndex]!.keyword === 'global') return;
        if (line.kind === 'section' && line.keyword === 'program') {
          context.report({
            file: file.file,
            span: line.words[0]!.span,
            message: `The 'program' section is deprecated in HAProxy ${context.haproxyVersion ?? '3.1'}: HAProxy aborts here unless 'expose-deprecated-directives' is set in a global section above it`,
            hint: "add 'expose-deprecated-directives' to global before the first program, or run the programs with hpm-run inside '.if defined(HPM_RUN)'",
          });
          return;
        }
      }
    }
  },
);
