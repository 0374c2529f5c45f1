/**
 * A keyword (or section keyword) that HAProxy removed before the targeted version. `program` is
 * left to program/removed, which knows how to fix it.
 */
import { existsIn, isNewerThan, sectionInfo, type KeywordInfo } from '../../../model/keywords/index.js';
import { defineRule } from '../support.js';
import { placementOf, quoteKeyword, reportPlaced } from './placement.js';

function gone(info: KeywordInfo | undefined, version: string): info is KeywordInfo & { removed: string } {
  return info?.removed !== undefined && !existsIn(info, version) && !isNewerThan(info, version);
}

export const rule = defineRule(
  {
    id: 'keyword/removed',
    defaultSeverity: 'error',
    description: 'A keyword that HAProxy removed before the targeted version.',
    versions: { from: '2.0' },
    views: ['haproxy'],
  },
  (context) => {
    const placement = placementOf(context);
    const { version } = placement;
    for (const placed of placement.lines) {
      const { section, keyword, word } = placed;
      if (!word || keyword === '' || placed.programLine || keyword === 'program') continue;
      if (placed.foreignSection) {
        const info = sectionInfo(keyword)!;
        if (!section || !gone(info, version)) continue;
        reportPlaced(context, placement, placed, {
          message: `HAProxy ${info.removed} removed the '${keyword}' section: HAProxy ${version} reads it as an unknown keyword of the '${section}' section`,
        });
        continue;
      }
      if (!section || placed.opensSection) continue;
      const { info } = placed;
      if (!gone(info, version)) continue;
      reportPlaced(context, placement, placed, {
        message: `'${keyword}' is not supported any more in '${section}' sections since HAProxy ${info.removed}`,
        hint: info.replacement ? `use ${quoteKeyword(info.replacement)} instead` : `remove it, or guard it with '.if version_before(${info.removed})'`,
      });
    }
  },
);
