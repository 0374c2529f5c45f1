/**
 * A section line with a word HAProxy refuses after its keyword: an address after a frontend or
 * listen name (the pre-1.x `listen name 0.0.0.0:80` form), anything after `global`, a second
 * word after a peers, userlist or cache name. Keyword arguments are otherwise out of scope; this
 * wrong count is fatal and common in old configurations.
 */
import { sectionInfo } from '../../../model/keywords/index.js';
import { defineRule, spanOfWords } from '../support.js';
import { extraArgumentIndex, placementOf, reportPlaced } from './placement.js';

export const rule = defineRule(
  {
    id: 'keyword/extra-argument',
    defaultSeverity: 'error',
    description: "A section line with more words than HAProxy takes: 'listen name address', 'global x'.",
    versions: { from: '2.0' },
    views: ['haproxy'],
  },
  (context) => {
    const placement = placementOf(context);
    for (const placed of placement.lines) {
      const { line, keyword } = placed;
      const at = placed.opensSection && !placed.programLine && !line.modifier ? extraArgumentIndex(line) : undefined;
      if (at === undefined) continue;
      const { max, hint } = sectionInfo(keyword)!.arguments!;
      // Words map 1:1 to args here unless an expansion split one; point at the rest of the line then.
      const extra = line.words.slice(Math.min(at, line.words.length - 1));
      const first = extra[0]!;
      reportPlaced(context, placement, placed, {
        span: spanOfWords(first, extra[extra.length - 1]),
        message: hint ? `'${keyword}' takes no address: ${hint}` : `'${keyword}' cannot handle unexpected argument '${line.args![at]}'`,
        hint: hint ? `move it to a 'bind ${line.args![at]}' line in the section` : `remove it: '${keyword}' takes ${max === 0 ? 'no argument' : 'only a name'}`,
      });
    }
  },
);
