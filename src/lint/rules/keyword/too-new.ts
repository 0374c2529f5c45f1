/**
 * A keyword (or section keyword) that the target HAProxy version does not have yet: HAProxy of
 * that version calls it an unknown keyword. Guarding it with `.if version_atleast(X)` keeps the
 * file valid for both.
 */
import { isNewerThan, sectionInfo } from '../../../model/keywords/index.js';
import { defineRule } from '../support.js';
import { placementOf, reportPlaced } from './placement.js';

export const rule = defineRule(
  {
    id: 'keyword/too-new',
    defaultSeverity: 'error',
    description: 'A keyword that exists only in HAProxy versions newer than the one targeted.',
    versions: { from: '2.0' },
    views: ['haproxy'],
  },
  (context) => {
    const placement = placementOf(context);
    const { version } = placement;
    for (const placed of placement.lines) {
      const { section, keyword, word } = placed;
      if (!word || keyword === '' || placed.programLine) continue;
      let since: string | undefined;
      let what: string;
      if (placed.foreignSection) {
        // Out of section, HAProxy's message is syntax/keyword-out-of-section's.
        if (!section || keyword === 'program') continue;
        const info = sectionInfo(keyword)!;
        if (!isNewerThan(info, version)) continue;
        since = info.since;
        what = `'${keyword}' opens a section only from HAProxy ${since}: HAProxy ${version} reads it as an unknown keyword of the '${section}' section`;
      } else {
        if (!section || placed.opensSection) continue;
        const { info } = placed;
        if (!info || !isNewerThan(info, version)) continue;
        since = info.since;
        what = `'${keyword}' is a keyword of '${section}' sections only from HAProxy ${since}`;
      }
      reportPlaced(context, placement, placed, {
        message: what,
        hint: `guard it with '.if version_atleast(${since})' ... '.endif', or target a newer version with --haproxy-version`,
      });
    }
  },
);
