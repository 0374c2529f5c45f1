/**
 * `no` or `default` in front of a keyword that does not take it, or with no keyword at all:
 * HAProxy's fatal "negation/default currently supported only for options, log, ...". Program
 * sections are program/invalid-modifier's.
 */
import { modifiableKeywords } from '../../../model/keywords/index.js';
import { defineRule, spanOfWords } from '../support.js';
import { placementOf, reportPlaced } from './placement.js';

export const rule = defineRule(
  {
    id: 'keyword/no-prefix',
    defaultSeverity: 'error',
    description: "'no' or 'default' on a keyword that does not take it, or alone.",
    versions: { from: '2.0' },
    views: ['haproxy'],
  },
  (context) => {
    const placement = placementOf(context);
    const { version } = placement;
    const allowed = modifiableKeywords(version);
    const list = [...allowed].sort().join(', ');
    for (const placed of placement.lines) {
      const { line, keyword } = placed;
      if (!line.modifier || placed.programLine || (keyword !== '' && allowed.has(keyword))) continue;
      const modifier = line.words[0]!;
      reportPlaced(context, placement, placed, {
        span: spanOfWords(modifier, line.words[1] ?? modifier),
        message:
          keyword === ''
            ? `'${line.modifier}' without a keyword`
            : `'${line.modifier} ${keyword}': HAProxy ${version} supports '${line.modifier}' only on ${list}`,
        hint: keyword === '' ? `remove the line, or name the keyword to ${line.modifier === 'no' ? 'negate' : 'reset'}` : `remove '${line.modifier}'`,
      });
    }
  },
);
