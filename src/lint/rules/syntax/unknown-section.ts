/**
 * A line-start word that looks like a section keyword but is not one for this HAProxy version:
 * a keyword of another version (`crt-store` on 2.6), or a case variant (`Frontend`). `program`
 * itself is left to program/removed and program/unknown-keyword, except before 2.0, which lacks it.
 */
import { ALL_SECTION_KEYWORDS, compareVersions, sectionKeywordsOf, sectionKeywordSince } from '../../../syntax/index.js';
import { defineRule } from '../support.js';

export const rule = defineRule(
  {
    id: 'syntax/unknown-section',
    defaultSeverity: 'warning',
    description: 'A word at line start that looks like a section keyword of another HAProxy version, or with the wrong case.',
    versions: { from: '2.0' },
  },
  (context) => {
    const known = context.haproxyVersion ? sectionKeywordsOf(context.haproxyVersion) : undefined;
    const byLowerCase = new Map([...ALL_SECTION_KEYWORDS].map((k) => [k.toLowerCase(), k]));
    for (const file of context.files) {
      for (const line of file.lines) {
        if (!line.active || !line.keyword || line.modifier) continue;
        const keyword = line.keyword;
        if (line.kind === 'section' && known && !known.has(keyword) && (keyword !== 'program' || compareVersions(context.haproxyVersion!, '2.0') < 0)) {
          const since = sectionKeywordSince(keyword);
          context.report({
            file: file.file,
            span: line.words[0]!.span,
            message: `'${keyword}' is not a section keyword in HAProxy ${context.haproxyVersion}${since ? ` (it exists since ${since})` : ' (it was removed)'}`,
            hint: `guard the section with '.if version_atleast(${since ?? '0'})' or target another version with --haproxy-version`,
          });
        } else if (line.kind === 'statement') {
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
    }
  },
);
