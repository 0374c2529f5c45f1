/**
 * A keyword HAProxy does not know in a program section (hpm-run's extension keywords are left to
 * hpm/unguarded-extension), plus program keywords that ended up elsewhere: `command` in another
 * section, or `PROGRAM p` (section keywords are case-sensitive, so it opens nothing).
 */
import { defineRule, closest } from '../support.js';
import { isExtensionKeyword } from '../../../model/index.js';
import { programKeywords, SUGGESTABLE_KEYWORDS } from './facts.js';

export const rule = defineRule(
  { id: 'program/unknown-keyword', defaultSeverity: 'error', description: 'A keyword a program section does not know; program keywords outside a program section.' },
  (context) => {
    const known = programKeywords(context.view === 'haproxy' ? context.haproxyVersion : undefined);
    for (const program of context.model.programs) {
      const candidates = [...program.unknown, ...program.users, ...program.groups];
      for (const use of candidates) {
        const keyword = use.line.keyword!;
        if (known.includes(keyword) || isExtensionKeyword(keyword)) continue;
        const meant = closest(keyword, SUGGESTABLE_KEYWORDS);
        context.report({
          file: program.file,
          span: use.line.words[use.line.modifier ? 1 : 0]!.span,
          message: `unknown keyword '${keyword}' in 'program' section`,
          hint: keyword === 'user' || keyword === 'group' ? `'${keyword}' exists since HAProxy 2.1` : meant ? `did you mean '${meant}'?` : `a program section knows ${known.join(', ')}`,
        });
      }
    }
    for (const file of context.files) {
      for (const line of file.lines) {
        if (line.kind !== 'statement' || !line.active || line.sectionIndex === undefined || !line.keyword) continue;
        const section = file.sections[line.sectionIndex]!;
        if (section.keyword === 'program') continue;
        if (line.keyword === 'command') {
          context.report({
            file: file.file,
            span: line.words[line.modifier ? 1 : 0]!.span,
            message: `unknown keyword 'command' in '${section.keyword}' section`,
            hint: "'command' belongs in a program section: is the 'program' line above it misspelt or missing?",
          });
        } else if (line.keyword.toLowerCase() === 'program' && !line.modifier) {
          context.report({
            file: file.file,
            span: line.words[0]!.span,
            message: `unknown keyword '${line.keyword}' in '${section.keyword}' section`,
            hint: "section keywords are case-sensitive: write 'program'",
          });
        }
      }
    }
  },
);
