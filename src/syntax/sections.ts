/**
 * HAProxy's section keywords by version, as the parser needs them. The keyword catalogue
 * (src/model/keywords) is the one place that knows them; this module only asks it.
 */
import { ALL_SECTIONS, sectionInfo, sectionsOf } from '../model/keywords/index.js';
import { compareVersions } from './conditions.js';

/** Every word that opens a section in some version: the parser's structural view. */
export const ALL_SECTION_KEYWORDS: ReadonlySet<string> = ALL_SECTIONS;

/** The section keywords of one HAProxy version . */
export function sectionKeywordsOf(version: string): ReadonlySet<string> {
  // Before 2.0 (the oldest catalogued): 2.0's sections without `program`, which 2.0 brought.
  if (compareVersions(version, '2.0') < 0) return new Set([...sectionsOf('2.0')].filter((k) => k !== 'program'));
  return sectionsOf(version);
}

/** The first version whose section keywords include `keyword`, if any. */
export function sectionKeywordSince(keyword: string): string | undefined {
  return sectionInfo(keyword)?.since;
}
