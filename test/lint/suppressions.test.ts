/** Suppression comments, and hpm/unused-suppression. */
import { describe, expect, it } from 'vitest';
import { lintText, ruleIdsOf } from './rule-helpers.js';

const lines = (...l: string[]) => l.join('\n') + '\n';

describe('suppression comments', () => {
  it('disable-next-line suppresses the listed rules on the next line only', () => {
    const text = lines('program api', '    command sleep 1', '    # hpm-lint disable-next-line program/duplicate-command -- the wrapper wins', '    command sleep 2', '    command sleep 3');
    const result = lintText(text, 'a.cfg');
    expect(result.results[0]!.diagnostics.map((d) => [d.ruleId, d.span.start.line])).toEqual([['program/duplicate-command', 5]]);
  });
  it('disable-line suppresses on its own line; several ids are comma-separated', () => {
    const text = lines('program api', '    command sleep 1', '    user nosuchuser # hpm-lint disable-line program/user-without-group,program/unknown-user');
    expect(ruleIdsOf(lintText(text, 'a.cfg'))).toEqual([]);
  });
  it('disable ... enable covers a block', () => {
    const text = lines('# hpm-lint disable program/shell-syntax', 'program a', '    command tail -f x | grep y', '# hpm-lint enable program/shell-syntax', 'program b', '    command tail -f x | grep y');
    const d = lintText(text, 'a.cfg').results[0]!.diagnostics;
    expect(d.map((x) => [x.ruleId, x.span.start.line])).toEqual([['program/shell-syntax', 6]]);
  });
  it('a directive just above `program x` covers the whole section', () => {
    const text = lines('# hpm-lint disable-next-line program/user-without-group, program/shell-syntax -- legacy', 'program api', '    command a | b', '    user nobody', 'program other', '    command c | d');
    const d = lintText(text, 'a.cfg').results[0]!.diagnostics;
    expect(d.map((x) => [x.ruleId, x.span.start.line])).toEqual([['program/shell-syntax', 6]]);
  });
  it('without ids, suppresses every rule', () => {
    const text = lines('program api', '    command sleep 1', '    foo # hpm-lint disable-line');
    expect(ruleIdsOf(lintText(text, 'a.cfg'))).toEqual([]);
  });
  it('reports suppressions that suppress nothing, and unknown rule ids', () => {
    const text = lines('program api', '    # hpm-lint disable-next-line program/duplicate-command, program/no-such-rule', '    command sleep 1');
    const d = lintText(text, 'a.cfg').results[0]!.diagnostics;
    expect(d.map((x) => [x.ruleId, x.span.start.line, x.severity])).toEqual([
      ['hpm/unused-suppression', 2, 'warning'],
      ['hpm/unused-suppression', 2, 'warning'],
    ]);
    expect(d.map((x) => x.message).join('\n')).toMatch(/'program\/no-such-rule' is not an hpm-lint rule/);
  });
});
