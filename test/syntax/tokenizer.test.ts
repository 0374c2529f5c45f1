/**
 * The tokenizer as a user sees it: what argv HAProxy 2.6 builds for a line (haproxy.md §1.3-§1.6,
 * §6.2, observed with the binary), and where it reports lexical errors (§1.7).
 */
import { describe, expect, it } from 'vitest';
import { parse, print, type Diagnostic } from '../../src/syntax/index.js';

/** The env of haproxy.md §6.2 (plus a few values with edge blanks). */
const ENV = { HOME: '/root', EMPTYVAR: '', MULTI: 'one two  three', SPACEY: 'a b', TRAIL: 'a ', LEAD: ' a' };

/** argv of the `command` line of a one-program config, minus `command`. */
function argvOf(words: string, env: Record<string, string> = ENV): string[] | undefined {
  const { ast } = parse(`program t32\n    command printargs ${words}\n`, { file: '/etc/t.cfg', env });
  return ast.lines[1]!.args?.slice(2);
}

function diagnosticsOf(text: string, env: Record<string, string> = ENV): Diagnostic[] {
  return parse(text, { file: 't.cfg', env }).diagnostics;
}

describe('§1.5 backslash escapes and §6.2 argv table', () => {
  const rows: Array<[string, string[]]> = [
    ['a\\ b', ['a b']],
    [`"c d" 'e f'`, ['c d', 'e f']],
    [`"$HOME" $HOME '$HOME'`, ['/root', '$HOME', '$HOME']],
    [`"\${NOPE-dflt}" "\${HOME-dflt}" "\${NOPE-}" after`, ['dflt', '/root']],
    [`before "\${EMPTYVAR-dflt}" after`, ['before']],
    ['x#y not-seen', ['x']],
    [`"q#r" 'q#r' z\\#w`, ['q#r', 'q#r', 'z#w']],
    [`\\x41\\x42 "\\x43" '\\x44' \\x7e`, ['AB', 'C', '\\x44', '~']],
    [`"t\\tu" 'v\\tw' x\\ty`, ['t\tu', 'v\\tw', 'x\ty']],
    [`a"b c"d "a"'b'c`, ['ab cd', 'abc']],
    [`"a'b" 'a"b' \\' \\" "a\\"b" "a\\'b"`, [`a'b`, 'a"b', `'`, '"', 'a"b', `a'b`]],
    [`"\\$HOME" \\$HOME`, ['$HOME', '\\$HOME']],
    [`\\\\ \\q "\\q" '\\\\' "\\\\"`, ['\\', '\\q', '\\q', '\\\\', '\\']],
    [`"\${HOME}x" "$HOME.x" "$HOME-x" "\${HOME}\${HOME}"`, ['/rootx', '/root.x', '/root-x', '/root/root']],
    [`"\${MULTI[*]}" "pre\${MULTI[*]}post" "$MULTI" "\${NOPE[*]-d1 d2}"`, ['one', 'two', 'three', 'preone', 'two', 'threepost', 'one two  three', 'd1', 'd2']],
    [`"\${.LINE}" "$.FILE" "\${.SECTION}"`, ['2', '/etc/t.cfg', 't32']],
    ['a\t b \t\tc', ['a', 'b', 'c']],
    ['trailing\\ ', ['trailing ']],
    [`\\n "\\r" a\\nb`, ['\n', '\r', 'a\nb']],
    [`"\${NOPE-a b}" "\${NOPE-x}y}" "\${SPACEY}"`, ['a b', 'xy}', 'a b']],
    ['endswithbackslash\\', ['endswithbackslash\\']],
    ['héllo 日本', ['héllo', '日本']],
    ['a\\\tb', ['a\\', 'b']],
    [`"\${SPACEY[*]}" \${SPACEY}`, ['a', 'b', '${SPACEY}']],
    ['"" after', []],
    [`"a""b" ''x`, ['ab', 'x']],
    [`'a\\'b "$MULTI[*]"`, ['a\\b', 'one two  three[*]']],
    [`x "\${EMPTYVAR[*]}" y`, ['x']],
    [`x "\${UNSET[*]}" y`, ['x']],
    [`x"\${EMPTYVAR}"y "" z`, ['xy']],
    [`a\\"b a\\'b`, ['a"b', `a'b`]],
    [`"\${HOME}"'\${HOME}'\${HOME}`, ['/root${HOME}${HOME}']],
    ['a\rb c', ['a']],
    ['a\vb\fc', ['a', 'b', 'c']],
    ['a\\x00b c', ['a', 'c']],
    [`"\\x20x" \\x23y`, [' x', '#y']],
    // Checked with 2.6 beyond the spec's table:
    [`"\${NOPE-x"y}" z`, ['x"y', 'z']],
    [`"\${NOPE-x\ry}" z`, ['x\ry', 'z']],
    [`"\${TRAIL[*]}" x`, ['a']],
    [`"p\${TRAIL[*]}q" r`, ['pa', 'q', 'r']],
    [`"\${LEAD[*]}" x`, []],
    [`"\${NOPE-a\\"b}" c`, ['a\\"b', 'c']],
    ['x \\x00 y', ['x']],
    [`\\xc3\\xa9t\\xc3\\xa9 "\\xe2\\x82\\xac"`, ['été', '€']],
    ['a \rb c', ['a', 'b', 'c']],
  ];
  it.each(rows)('%j', (words, expected) => {
    expect(argvOf(words)).toEqual(expected);
  });

  it('a word from an expansion can be the command itself', () => {
    const { ast } = parse('program p\n    command "${CMD[*]}" x\n', { env: { CMD: '/bin/printargs one two' } });
    expect(ast.lines[1]!.args).toEqual(['command', '/bin/printargs', 'one', 'two', 'x']);
  });

  it('keeps every word as written next to its cooked values', () => {
    const { ast } = parse(`program p\n    command a"b c"d "\${MULTI[*]}"\n`, { env: ENV });
    const words = ast.lines[1]!.words;
    expect(words.map((w) => w.raw)).toEqual(['command', 'a"b c"d', '"${MULTI[*]}"']);
    expect(words[1]!.fragments.map((f) => f.kind)).toEqual(['bare', 'double-quoted', 'bare']);
    expect(words[2]!.values).toEqual(['one', 'two', 'three']);
    expect(words[1]!.span.start).toEqual({ offset: 22, line: 2, column: 13 });
  });
});

describe('§1.6/§1.7 lexical errors: rule, message and HAProxy position', () => {
  // Column = 1-based byte column of the opening quote, `{`, bad name character, backslash or `[`.
  const cases: Array<[line: string, ruleId: string, what: string, position: number]> = [
    ['    command x \\xZZ', 'syntax/invalid-hex-escape', 'truncated or invalid hexadecimal sequence', 15],
    ['    command x "${HOME"', 'syntax/invalid-env-var', 'unmatched brace in environment variable name', 17],
    ['    command x "$1abc"', 'syntax/invalid-env-var', 'forbidden first char in environment variable name', 17],
    ['    command x "cost: $"', 'syntax/invalid-env-var', 'forbidden first char in environment variable name', 23],
    ['    command x "$(pwd)"', 'syntax/invalid-env-var', 'forbidden first char in environment variable name', 17],
    ['    command x "abc', 'syntax/unmatched-quote', 'unmatched quote', 15],
    ["    command x 'abc", 'syntax/unmatched-quote', 'unmatched quote', 15],
    ['    command x "${NOPE:-x}"', 'syntax/invalid-env-var', 'unmatched brace in environment variable name', 17],
    ['    command x "${MULTI[x]}"', 'syntax/invalid-env-var', 'truncated or invalid word expansion sequence', 23],
    ['    command x "$.FOO"', 'syntax/invalid-env-var', 'forbidden first char in environment variable name', 17],
    // An error inside an unclosed quote wins over the quote (HAProxy sees the quote last).
    ['    command "abc \\xZZ', 'syntax/invalid-hex-escape', 'truncated or invalid hexadecimal sequence', 18],
    ['    command "${HOME', 'syntax/invalid-env-var', 'unmatched brace in environment variable name', 15],
    // Positions count bytes, as HAProxy does: é is two.
    ['    command é "${é}"', 'syntax/invalid-env-var', 'forbidden first char in environment variable name', 19],
  ];
  it.each(cases)('%j', (line, ruleId, what, position) => {
    const diagnostics = diagnosticsOf(`program p\n${line}\n`);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ ruleId, severity: 'error', message: `${what} at position ${position}`, span: { start: { line: 2 } } });
  });

  it('a line with a lexical error has no argv (HAProxy skips it) and parsing goes on', () => {
    const { ast, diagnostics } = parse('program p\n    command "oops\n    command ok\n');
    expect(ast.lines[1]!.args).toBeUndefined();
    expect(ast.lines[2]!.args).toEqual(['command', 'ok']);
    expect(diagnostics).toHaveLength(1);
  });

  it('reports lexical errors inside a skipped .if block too (HAProxy tokenizes every line)', () => {
    const diagnostics = diagnosticsOf('.if 0\nprogram p\n    command "unclosed\n.endif\n');
    expect(diagnostics.map((d) => [d.ruleId, d.span.start.line])).toEqual([['syntax/unmatched-quote', 3]]);
  });
});

describe('§1.4 empty words and the 64-word limit', () => {
  const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
  it('an empty word ends the argument list and is remembered', () => {
    const { ast } = parse('program p\n    command echo "" after\n');
    expect(ast.lines[1]!.args).toEqual(['command', 'echo']);
    expect(ast.lines[1]!.emptyWordIndex).toBe(2);
  });
  it('a line whose first word is empty is a blank line', () => {
    const { ast, diagnostics } = parse('global\n    "" maxconn 10\n    "${NOPE}" x\n');
    expect(ast.lines.slice(1, 3).map((l) => l.kind)).toEqual(['blank', 'blank']);
    expect(diagnostics).toEqual([]);
  });
  it('64 words pass, 65 are too many', () => {
    expect(diagnosticsOf(`program p\n    command ${words(63)}\n`)).toEqual([]);
    const d = diagnosticsOf(`program p\n    command ${words(64)}\n`);
    expect(d.map((x) => x.ruleId)).toEqual(['syntax/too-many-words']);
    expect(d[0]!.message).toMatch(/^too many words, truncating after word 64, position \d+: <w62>\./);
  });
  it('64 words plus a trailing blank are too many for HAProxy 2.6; a trailing comment glued to the word is not', () => {
    expect(diagnosticsOf(`program p\n    command ${words(63)} \n`).map((x) => x.ruleId)).toEqual(['syntax/too-many-words']);
    expect(diagnosticsOf(`program p\n    command ${words(63)}#c\n`)).toEqual([]);
    expect(diagnosticsOf(`program p\n    command ${words(62)} \n`)).toEqual([]);
  });
  it('[*] pieces count as words', () => {
    const { diagnostics } = parse(`program p\n    command "\${M[*]}" ${words(61)}\n`, { env: { M: 'a b c' } });
    expect(diagnostics.map((x) => x.ruleId)).toEqual(['syntax/too-many-words']);
  });
});

describe('§1.10 conditional blocks', () => {
  const active = (text: string, env: Record<string, string> = {}) =>
    parse(text, { env })
      .ast.lines.filter((l) => l.kind === 'statement' && l.active)
      .map((l) => l.args!.join(' '));
  const cond = (c: string, env: Record<string, string> = {}) => active(`.if ${c}\nglobal\n    yes\n.endif\n`, env).length === 1;

  it.each([
    ['1', true],
    ['0', false],
    ['0x10', true],
    ['-1', true],
    ['', false],
    ['"${NOPE}"', false],
    ['defined(HOME)', true],
    ['defined(NOPE)', false],
    ['!defined(NOPE)', true],
    ['!!1', true],
    ['! 1', false],
    ['streq(a,a)', true],
    ['streq(a,b)', false],
    ['strneq(a,b)', true],
    ['feature(OPENSSL)', true],
    ['feature(QUIC)', false],
    // No version given: the latest 3.2 release, the version the keyword rules assume too.
    ['version_atleast(2.4)', true],
    ['version_atleast(3.2.99)', true],
    ['version_atleast(3.3)', false],
    ['version_before(3.3)', true],
    ['version_before(3.2.99)', false],
    ['openssl_version_atleast(1.1.1)', true],
    ['openssl_version_atleast(3.0.1)', false], // 2.6.12 reads OpenSSL 3.0.x as 3.0.0
    ['openssl_version_before(3.0.1)', true],
    ['feature(ZLIB)', false], // Debian's build uses SLZ
    ['feature(SLZ)', true],
    ['feature(PCRE)', false],
    ['ssllib_name_startswith(OpenSSL)', true],
    ['1 && 0', false],
    ['1 || 0', true],
    ['0 || 1 && 0', false],
    ['(0 || 1) && 1', true],
    ['"" 1', true], // HAProxy joins every word, empty ones included: " 1"
    ['streq("a b",\'a b\')', true],
  ] as const)('.if %s -> %s', (c, expected) => {
    expect(cond(c, { HOME: '/root' })).toBe(expected);
  });

  it('.elif and .else pick the first true branch; nested blocks inside skipped ones are not evaluated', () => {
    const text = '.if 0\nglobal\n    a\n.elif 1\nglobal\n    b\n.if bogus(\n.endif\n.elif 1\nglobal\n    c\n.else\nglobal\n    d\n.endif\n';
    expect(active(text)).toEqual(['b']);
    const { diagnostics } = parse('.if 0\n.if bogus(\n.endif\n.endif\n');
    expect(diagnostics).toEqual([]);
  });

  it.each([
    ['.if bogus(1)\n.endif\n', "unparsable conditional expression 'bogus(1)' in '.if' at position 1"],
    ['.if 1 2\n.endif\n', "unexpected character '2' at the end of conditional expression '1 2' in '.if' at position 3"],
    ['.if defined(HOME) &&\n.endif\n', "unparsable conditional expression '&&' in '.if' at position 15"],
    ['.if 1 ||\n.endif\n', "unparsable conditional expression '1 ||' in '.if' at position 3"],
    ['.if (1\n.endif\n', "expected ')' after conditional expression '(1' in '.if' at position 1"],
    ['.if streq(a)\n.endif\n', "missing arguments (got 1/2), type 'string' expected in argument 1 of predicate 'streq' used in conditional expression in '.if' at position 8"],
    ['.if 08\n.endif\n', "unexpected character '8' at the end of conditional expression '08' in '.if' at position 2"],
    ['.if 0\n.elif !!x\n.endif\n', "unparsable conditional expression '!!x' in '.elif' at position 1"],
    ['.endif\n', "lone '.endif' with no matching '.if'."],
    ['.else\n', "lone '.else' with no matching '.if'."],
    ['.elif 1\n', "lone '.elif' with no matching '.if'."],
    ['.if 1\n.else\n.else\n.endif\n', "'.else' after '.else' is not permitted."],
    ['.if 1\n.else\n.elif 1\n.endif\n', "'.elif' after '.else' is not permitted."],
    ['.if 1\n.else extra\n.endif\n', "Unexpected argument 'extra' for '.else'."],
    ['.if 1\n', "non-terminated '.if' block."],
    ['.foo bar\n', "unknown directive '.foo'."],
    ['.warning two words\n', "Unexpected argument 'words' for '.warning'. Use quotes if the message should contain spaces."],
  ])('%j is reported', (text, message) => {
    const d = parse(text).diagnostics;
    expect(d.length).toBeGreaterThan(0);
    expect(d[0]!.message).toContain(message);
    expect(['syntax/conditional', 'syntax/unknown-directive']).toContain(d[0]!.ruleId);
  });

  it('nesting: 99 levels are fine, the 100th .if is refused (as HAProxy 2.6 does)', () => {
    const nest = (n: number) => '.if 1\n'.repeat(n) + 'global\n    deep\n' + '.endif\n'.repeat(n);
    expect(parse(nest(99)).diagnostics).toEqual([]);
    expect(active(nest(99))).toEqual(['deep']);
    expect(parse(nest(100)).diagnostics.map((d) => d.message)).toContain("too many nested '.if', max is 100.");
  });

  it('skipped blocks ignore unknown directives and keywords; a program in a false block does not exist', () => {
    const { ast, diagnostics } = parse('.if 0\n.foo\nprogram p\n    command x\n.endif\n');
    expect(diagnostics).toEqual([]);
    expect(ast.sections).toEqual([]);
    expect(ast.structuralSections.map((s) => s.name)).toEqual(['p']);
    expect(ast.lines[3]!.active).toBe(false);
  });

  it('marks lines guarded by .if defined(HPM_RUN)', () => {
    const { ast } = parse('program p\n.if defined(HPM_RUN)\n    restart always\n.else\n    command x\n.endif\n');
    const statements = ast.lines.filter((l) => l.kind === 'statement');
    expect(statements.map((l) => [l.keyword, l.hpmRunGuarded])).toEqual([
      ['restart', true],
      ['command', false],
    ]);
  });
});

describe('§1.1/§1.2 physical lines', () => {
  it('CRLF files read like LF files, and print back with their CRs', () => {
    const text = 'program p\r\n    command a b\r\n';
    const { ast, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(ast.lines[1]!.args).toEqual(['command', 'a', 'b']);
    expect(ast.lines[1]!.crTail).toBe('\r');
    expect(print(ast)).toBe(text);
  });
  it('a CR right after a word ends the line; after a blank it is a blank', () => {
    const { ast } = parse('global\n    maxconn 10\rfoo\n    maxconn 10 \rfoo\n');
    expect(ast.lines[1]!.args).toEqual(['maxconn', '10']);
    expect(ast.lines[2]!.args).toEqual(['maxconn', '10', 'foo']);
  });
  it('a NUL mid-file: the rest of its line is lost and HAProxy stops there', () => {
    const { ast, diagnostics } = parse('global\n    maxconn 10\0junk\n    nbthread 2\n');
    expect(ast.lines[1]!.nulTail).toBe('\0junk');
    expect(diagnostics.map((d) => [d.ruleId, d.message])).toEqual([['syntax/nul-byte', 'Stray NUL character at position 15.']]);
  });
  it('a NUL inside a comment is a stray NUL too: HAProxy checks the whole physical line', () => {
    const { diagnostics } = parse('global\n    # a\0b\0c\n    nbthread 2\n');
    expect(diagnostics.map((d) => [d.ruleId, d.message, d.span.start.line, d.span.start.column])).toEqual([
      ['syntax/nul-byte', 'Stray NUL character at position 8.', 2, 8],
    ]);
  });
  it('a missing final LF is reported with HAProxy position (line length + 1)', () => {
    const { ast, diagnostics } = parse('global\n    maxconn 10');
    expect(ast.lines[1]!.eol).toBe('');
    expect(diagnostics.map((d) => [d.ruleId, d.message])).toEqual([
      ['syntax/missing-final-newline', 'Missing LF on last line, file might have been truncated at position 15.'],
    ]);
  });
  it('a UTF-8 BOM is part of the first word (2.6 does not skip it)', () => {
    const { ast, diagnostics } = parse('\ufeffglobal\n    maxconn 10\n');
    expect(ast.lines[0]!.kind).toBe('statement');
    expect(diagnostics[0]).toMatchObject({ ruleId: 'syntax/keyword-out-of-section', message: "unknown keyword '\ufeffglobal' out of section." });
    expect(diagnostics[0]!.hint).toMatch(/byte order mark/);
  });
  it('scope lines: valid ones are kept as they are, bad ones are reported like HAProxy', () => {
    const ok = parse('[my.scope-1:x] # c\nprogram p\n    command a\n');
    expect(ok.diagnostics).toEqual([]);
    expect(ok.ast.lines[0]).toMatchObject({ kind: 'scope', scope: '[my.scope-1:x] # c' });
    expect(parse('[]\n').diagnostics.map((d) => d.message)).toEqual(['empty scope name is forbidden.']);
    expect(parse('[a b]\n').diagnostics.map((d) => d.message)).toEqual(["character ' ' is not permitted in a scope name."]);
    expect(parse('[ab] x\n').diagnostics.map((d) => [d.message, d.span.start.column])).toEqual([["character 'x' is not permitted after scope declaration.", 6]]);
  });
  it('global setenv & co. change how later lines are cooked, across files too', () => {
    const { ast } = parse('global\n    setenv A one\n    presetenv HOME /elsewhere\n    unsetenv GONE\nprogram p\n    command "$A" "$HOME" "${GONE-gone}"\n', {
      env: { HOME: '/root', GONE: 'x' },
    });
    expect(ast.lines[5]!.args).toEqual(['command', 'one', '/root', 'gone']);
  });
});

describe('2.6 quirk: a ${NAME-default} on a line that grows the tokenizer buffer', () => {
  // HAProxy 2.6 cuts the default in place, then re-tokenizes a line whose output outgrew its
  // buffer (empty at the start of each file, then whole KiBs): the default then has no `}`.
  it('is an unmatched brace on the first line of a file', () => {
    expect(parse('.notice "${NOPE-xy}"\n').diagnostics.map((d) => d.message)).toEqual([
      'unmatched brace in environment variable name at position 11',
    ]);
  });
  it('is fine after a comment, blank or keyword line, but not after a scope line', () => {
    for (const first of ['# c\n', '\n', '   \n', 'global\n']) expect(parse(`${first}.notice "\${NOPE-xy}"\n`).diagnostics).toEqual([]);
    expect(parse('[sc]\n.notice "${NOPE-xy}"\n').diagnostics).toHaveLength(1);
  });
  it('comes back on a line whose output passes the next KiB', () => {
    const fits = `global\n.notice "${'A'.repeat(1000)}\${NOPE-x}"\n`; // .notice NUL A..Ax NUL: 7+1+1001+1 = 1010 bytes
    const grows = `global\n.notice "${'A'.repeat(1020)}\${NOPE-x}"\n`; // 1030 bytes > 1024
    expect(parse(fits).diagnostics).toEqual([]);
    const d = parse(grows).diagnostics;
    expect(d.map((x) => [x.ruleId, x.message, x.span.start.line])).toEqual([['syntax/invalid-env-var', 'unmatched brace in environment variable name at position 1031', 2]]);
    expect(parse(grows).ast.lines[1]!.args).toBeUndefined();
  });
});
