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
