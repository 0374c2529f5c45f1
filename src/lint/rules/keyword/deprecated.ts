/** A keyword HAProxy's manual marks deprecated in the targeted version (it still works). */
import { existsIn } from '../../../model/keywords/index.js';
import { compareVersions } from '../../../syntax/index.js';
import { defineRule } from '../support.js';
import { placementOf, quoteKeyword, reportPlaced } from './placement.js';

export const rule = defineRule(
  {
    id: 'keyword/deprecated',
    defaultSeverity: 'warning',
    description: 'A keyword that the targeted HAProxy version deprecates, with its replacement.',
    versions: { from: '2.0' },
    views: ['haproxy'],
  },
  (context) => {
    const placement = placementOf(context);
    const { version } = placement;
    for (const placed of placement.lines) {
      const { section, keyword, word } = placed;
      // Deprecated program sections are program/deprecated's.
      if (!word || !section || placed.programLine || placed.opensSection || placed.foreignSection || keyword === '') continue;
      const { info } = placed;
      if (!info?.deprecated || !existsIn(info, version) || compareVersions(version, info.deprecated) < 0) continue;
      reportPlaced(context, placement, placed, {
        message: `'${keyword}' is deprecated in '${section}' sections since HAProxy ${info.deprecated}${info.removed ? ` and removed in ${info.removed}` : ''}`,
        hint: info.replacement ? `use ${quoteKeyword(info.replacement)} instead` : `see HAProxy ${version}'s configuration manual for what replaces it`,
      });
    }
  },
);
