/**
 * A line-start word that looks like a section keyword but differs in case (`Frontend`): section
 * keywords are case-sensitive, so it opens nothing. A section keyword of another version is an
 * error of keyword/too-new, keyword/removed or syntax/keyword-out-of-section; `program` itself is
 * left to program/removed and program/unknown-keyword, except before 2.0 (older than the keyword
 * catalogue), which lacks it.
 */
import { ALL_SECTION_KEYWORDS, compareVersions } from '../../../syntax/index.js';
import { defineRule } from '../support.js';

export const rule = defineRule(
  {
    id: 'syntax/unknown-section',
    defaultSeverity: 'warning',
    description: 'A word at line start that looks like a section keyword, with the wrong case (or program before HAProxy 2.0).',
  },
  (context) => {
    const beforeProgram = context.haproxyVersion !== undefined && compareVersions(context.haproxyVersion, '2.0') < 0;
    const byLowerCase = new Map([...ALL_SECTION_KEYWORDS].map((k) => [k.toLowerCase(), k]));
    for (const file of context.files) {
      for (const line of file.lines) {
        if (!line.active || !line.keyword || line.modifier) continue;
        const keyword = line.keyword;
        if (beforeProgram && line.kind === 'section' && keyword === 'program') {
          context.report({
            file: file.file,
            span: line.words[0]!.span,
            message: `'program' is not a section keyword in HAProxy ${context.haproxyVersion} (it exists since 2.0)`,
          });
          continue;
        }
        if (line.kind !== 'statement') continue;
        const meant = byLowerCase.get(keyword.toLowerCase());
        if (meant && meant !== keyword && meant !== 'program') {
          context.report({
            file: file.file,
            span: line.words[0]!.span,
            message: `'${keyword}' is not a section keyword: section keywords are case-sensitive`,
            hint: `write '${meant}'`,
          });
        }
      }
    }
  },
);
