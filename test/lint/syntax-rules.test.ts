/**
 * Every syntax rule words the parser's typed findings itself: the message, line and column a user
 * sees, and the hint. (HAProxy's own words and positions are checked against the binary in
 * test/syntax/differential-argv.test.ts and test/lint/differential.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { lintText } from './rule-helpers.js';

function only(text: string) {
  const found = lintText(text, 'a.cfg').results.flatMap((r) => r.diagnostics);
  expect(found, JSON.stringify(found.map((d) => [d.ruleId, d.message]))).toHaveLength(1);
  return found[0]!;
}

const CASES: [rule: string, text: string, line: number, column: number, message: string, hint?: string][] = [
  ["syntax/unmatched-quote", "global\n    log \"abc\n", 2, 9, "unmatched quote at position 9", "close the quote on the same line: HAProxy has no line continuation"],
  ["syntax/invalid-hex-escape", "global\n    log \\xZ1\n", 2, 9, "truncated or invalid hexadecimal sequence at position 9", "write \\x followed by exactly two hex digits, or \\\\x for a literal backslash-x"],
  ["syntax/invalid-env-var", "global\n    log \"$(date)\"\n", 2, 11, "forbidden first char in environment variable name at position 11"],
  ["syntax/invalid-env-var", "global\n    log \"${X\"\n", 2, 11, "unmatched brace in environment variable name at position 11"],
  ["syntax/invalid-env-var", "global\n    log \"${X[y]}\"\n", 2, 13, "truncated or invalid word expansion sequence at position 13"],
  ["syntax/nul-byte", "global\n    log a\u0000b\n    daemon\n", 2, 10, "Stray NUL character at position 10.", "remove the NUL byte: HAProxy stops reading the file there"],
  ["syntax/nul-byte", "global\n    log a\u0000b", 2, 10, "Missing LF on last line, file might have been truncated at position 10.", "remove the NUL byte: HAProxy loses the rest of the line"],
  ["syntax/missing-final-newline", "global\n    daemon", 2, 11, "Missing LF on last line, file might have been truncated at position 11.", "end the file with a newline"],
  ["syntax/conditional", "global\n    daemon\n.if 1\n    log a\n", 4, 1, "non-terminated '.if' block. (opened on line 3)", "close it with '.endif'"],
  ["syntax/conditional", ".else extra\n", 1, 7, "Unexpected argument 'extra' for '.else'.", "'.else' takes no argument"],
  ["syntax/conditional", ".endif\n", 1, 1, "lone '.endif' with no matching '.if'."],
  ["syntax/conditional", ".if 0\n.else\n.elif 1\n.endif\n", 3, 1, "'.elif' after '.else' is not permitted."],
  ["syntax/conditional", ".if 1 2\n.endif\n", 1, 5, "unexpected character '2' at the end of conditional expression '1 2' in '.if' at position 3"],
  ["syntax/unknown-directive", ".foo\n", 1, 1, "unknown directive '.foo'.", "known directives: .if .elif .else .endif .notice .warning .alert .diag"],
  ["syntax/unknown-directive", ".alert \"stop\"\n", 1, 1, "'stop'. (.alert stops HAProxy from loading this file)", "guard the .alert with an .if that is false for this reader"],
  ["syntax/unknown-directive", ".notice two words\n", 1, 13, "Unexpected argument 'words' for '.notice'. Use quotes if the message should contain spaces.", "quote the message: .notice \"two words\""],
  ["syntax/invalid-scope", "[]\n", 1, 1, "empty scope name is forbidden."],
  ["syntax/invalid-scope", "[a b]\n", 1, 3, "character ' ' is not permitted in a scope name."],
  ["syntax/invalid-scope", "[ab] x\n", 1, 6, "character 'x' is not permitted after scope declaration."],
];

describe('syntax rules: message, line, column', () => {
  it.each(CASES)('%s on %j', (rule, text, line, column, message, hint) => {
    const d = only(text);
    expect({ rule: d.ruleId, line: d.span.start.line, column: d.span.start.column, message: d.message }).toEqual({ rule, line, column, message });
    if (hint !== undefined) expect(d.hint).toBe(hint);
  });

  it('syntax/too-many-words: 65 words, at the 65th', () => {
    const words = Array.from({ length: 64 }, (_, i) => `w${i}`).join(' ');
    const d = only(`global\n    log ${words}\n`);
    expect([d.ruleId, d.span.start.line, d.span.start.column, d.message]).toEqual([
      'syntax/too-many-words',
      2,
      251,
      'too many words, truncating after word 64, position 243: <w62>. (this line has 65 words; HAProxy allows at most 64)',
    ]);
  });
  it('syntax/too-many-words: 64 words and a trailing blank, at the blank', () => {
    const words = Array.from({ length: 63 }, (_, i) => `w${i}`).join(' ');
    const d = only(`global\n    log ${words} \n`);
    expect([d.ruleId, d.span.start.line, d.message, d.hint]).toEqual([
      'syntax/too-many-words',
      2,
      'too many words, truncating after word 64, position 243: <w62>. (64 words and a trailing blank, which HAProxy counts as the start of a 65th; HAProxy allows at most 64)',
      'remove the blanks at the end of the line',
    ]);
    expect(d.span.start.column).toBe(`    log ${words}`.length + 1);
  });
  it("syntax/invalid-env-var: HAProxy 2.6 misreads a ${NAME-default} on a line that grows its token buffer", () => {
    const d = only('.notice "${NOPE-xy}"\n');
    expect([d.ruleId, d.span.start.line, d.span.start.column, d.message]).toEqual(['syntax/invalid-env-var', 1, 11, 'unmatched brace in environment variable name at position 11']);
    expect(d.hint).toMatch(/HAProxy \(2.6 and 3.2 observed\) rejects a \$\{NAME-default\}/);
  });
  it('syntax/unknown-directive: .warning with zero-warning set', () => {
    const d = only('global\n    zero-warning\n.warning "w"\n');
    expect([d.ruleId, d.span.start.line, d.span.start.column, d.message]).toEqual([
      'syntax/unknown-directive',
      3,
      1,
      "'.warning' with 'zero-warning' set: HAProxy aborts (Some warnings were found and 'zero-warning' is set).",
    ]);
  });
});

describe('hints where people stumble', () => {
  it.each([
    ['.if HPM_RUN', "unparsable conditional expression 'HPM_RUN' in '.if' at position 1"],
    ['.if defined HPM_RUN', "unexpected character 'H' at the end of conditional expression 'defined HPM_RUN' in '.if' at position 9"],
  ])('%s: HAProxy\'s error, and did you mean defined(HPM_RUN)', (condition, message) => {
    const d = only(`${condition}\nprogram a\n    command x\n.endif\n`);
    expect([d.ruleId, d.span.start.line, d.span.start.column, d.message]).toEqual(['syntax/conditional', 1, 5, message]);
    expect(d.hint).toBe("did you mean '.if defined(HPM_RUN)'? A bare name is not a condition");
  });
  it('.if defined(HPM-RUN) hides the block from both readers', () => {
    const d = only('.if defined(HPM-RUN)\nprogram a\n    command x\n.endif\n');
    expect([d.ruleId, d.span.start.line, d.span.start.column, d.message, d.hint]).toEqual([
      'syntax/conditional',
      1,
      5,
      "'HPM-RUN' is not HPM_RUN: 'defined(HPM-RUN)' is false for HAProxy and for hpm-run, so neither reads this block",
      "write 'defined(HPM_RUN)'",
    ]);
  });
  it('reports every shell-syntax word of a command line', () => {
    const found = lintText('program a\n    command tail -F x | logger > out\n', 'a.cfg').results.flatMap((r) => r.diagnostics);
    expect(found.map((d) => [d.ruleId, d.span.start.line, d.span.start.column, d.message])).toEqual([
      ['program/shell-syntax', 2, 23, "'|' is shell syntax: 'command' runs the program directly, without a shell, so it gets '|' as a plain argument"],
      ['program/shell-syntax', 2, 32, "'>' is shell syntax: 'command' runs the program directly, without a shell, so it gets '>' as a plain argument"],
    ]);
  });
});

describe('HAProxy 3.1/3.2 read directives inside a program section as program keywords', () => {
  // expose-deprecated-directives exists from 3.1 on; 2.6 refuses it (keyword/too-new).
  const text = (version: string) =>
    `global\n    ${version.startsWith('3.') ? 'expose-deprecated-directives' : '# no directive needed'}\nprogram api\n    command sleep 1\n.notice "started"\n.foo\n`;
  const found = (version: string) =>
    lintText(text(version), 'a.cfg', { haproxyVersion: version })
      .results.flatMap((r) => r.diagnostics)
      .map((d) => [d.ruleId, d.span.start.line, d.span.start.column, d.message]);
  it('3.2: both lines are unknown program keywords to HAProxy; .foo is an unknown directive to hpm-run', () => {
    expect(found('3.2')).toEqual([
      ['syntax/unknown-directive', 5, 1, "unknown keyword '.notice' in 'program' section (HAProxy 3.2 reads directives inside a program section as program keywords)"],
      ['syntax/unknown-directive', 6, 1, "unknown keyword '.foo' in 'program' section (HAProxy 3.2 reads directives inside a program section as program keywords)"],
      ['syntax/unknown-directive', 6, 1, "unknown directive '.foo'."],
    ]);
  });
  it('2.6: .notice is fine and .foo an unknown directive', () => {
    expect(found('2.6')).toEqual([['syntax/unknown-directive', 6, 1, "unknown directive '.foo'."]]);
  });
});
