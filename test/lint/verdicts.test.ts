/**
 * Verdicts a CI can trust: the cases where hpm-lint used to say something HAProxy does not (a
 * cascade error, a version read the wrong way, a host-dependent finding). Each asserts the
 * message, line and column a user sees.
 */
import { describe, expect, it } from 'vitest';
import { lintText } from './rule-helpers.js';

function findings(result: ReturnType<typeof lintText>) {
  return result.results.flatMap((r) => r.diagnostics.map((d) => ({ rule: d.ruleId, line: d.span.start.line, column: d.span.start.column, message: d.message, severity: d.severity })));
}

describe('no cascade after a tokenizer error on the command line', () => {
  it.each([
    ['an unmatched quote', '    command echo "abc\n', 'syntax/unmatched-quote', 'unmatched quote at position 18', 18],
    ['"$(date)"', '    command echo "$(date)"\n', 'syntax/invalid-env-var', 'forbidden first char in environment variable name at position 20', 20],
    ['"${APP_PORT"', '    command "${APP_PORT"\n', 'syntax/invalid-env-var', 'unmatched brace in environment variable name at position 15', 15],
  ])('%s: only the tokenizer error', (_name, commandLine, rule, message, column) => {
    const result = lintText(`program app\n${commandLine}`, 'a.cfg');
    expect(findings(result)).toEqual([{ rule, line: 2, column, message, severity: 'error' }]);
  });
  it('still reports a section with no command line at all', () => {
    const result = lintText('program app\n    user nobody\n    group nogroup\n', 'a.cfg');
    expect(findings(result).map((f) => [f.rule, f.line, f.message])).toEqual([['program/missing-command', 1, "The program section 'app' lacks a command to launch."]]);
  });
});

describe('HAProxy versions as people write them', () => {
  // An error HAProxy 2.6.1+ reports only inside the block.
  const guarded = (condition: string) => `.if ${condition}\nprogram api\n.endif\n`;
  it('reads 2.6 as the latest 2.6 release for .if version_*', () => {
    expect(findings(lintText(guarded('version_atleast(2.6.1)'), 'a.cfg', { haproxyVersion: '2.6' })).map((f) => [f.rule, f.line])).toEqual([['program/missing-command', 2]]);
    expect(findings(lintText(guarded('version_before(2.6.1)'), 'a.cfg', { haproxyVersion: '2.6' }))).toEqual([]);
    expect(findings(lintText(guarded('version_before(2.7)'), 'a.cfg', { haproxyVersion: '2.6' })).map((f) => f.rule)).toEqual(['program/missing-command']);
  });
  it('reads 2.6.12 as that release', () => {
    expect(findings(lintText(guarded('version_atleast(2.6.13)'), 'a.cfg', { haproxyVersion: '2.6.12' }))).toEqual([]);
    expect(findings(lintText(guarded('version_atleast(2.6.12)'), 'a.cfg', { haproxyVersion: '2.6.12' })).map((f) => f.rule)).toEqual(['program/missing-command']);
  });
  it('without a version, reads .if version_* as 3.2, the version the keyword rules assume', () => {
    // Evaluated as 2.6.12, this block was read and its line called removed (in 2.8) by a 3.2 check.
    const guardedOld = 'defaults\n.if version_before(2.8)\n    bind-process 1\n.endif\n';
    expect(findings(lintText(guardedOld, 'a.cfg'))).toEqual([]);
    const unguarded = findings(lintText('defaults\n    bind-process 1\n', 'a.cfg'));
    expect(unguarded.map((f) => [f.rule, f.line])).toEqual([['keyword/removed', 2]]);
    expect(unguarded[0]!.message).toContain('checked against HAProxy 3.2, the default');
    expect(findings(lintText(guarded('version_atleast(3.2.0) && version_before(3.3)'), 'a.cfg')).map((f) => f.rule)).toEqual(['program/missing-command']);
    expect(findings(lintText(guarded('version_atleast(3.3)'), 'a.cfg'))).toEqual([]);
  });
  it('checks 2.6.12 with the rules of 2.6 and 3.1.5 with those of 3.1', () => {
    const text = 'program api\n    command sleep 1\n';
    expect(findings(lintText(text, 'a.cfg', { haproxyVersion: '2.6.12' }))).toEqual([]);
    expect(findings(lintText(text, 'a.cfg', { haproxyVersion: '3.1.5' })).map((f) => f.rule)).toEqual(['program/deprecated']);
  });
  it('knows 1.9 has global, defaults, frontend and backend but no program', () => {
    const text = 'global\n    master-worker\ndefaults\nfrontend fe\nbackend be\nprogram api\n    command sleep 1\n';
    expect(findings(lintText(text, 'a.cfg', { haproxyVersion: '1.9' })).map((f) => [f.rule, f.line, f.message])).toEqual([
      ['syntax/unknown-section', 6, "'program' is not a section keyword in HAProxy 1.9 (it exists since 2.0)"],
    ]);
  });
});
