/**
 * Differential test against the real haproxy 2.6 binary: for a table of tricky `command` lines,
 * the argv that haproxy's master hands to a program must equal `parse()`'s `line.args`.
 *
 * All the lines run in ONE `haproxy -W -db` instance (one program per line). Each program is a
 * tiny shell script that writes its arguments, NUL-separated, to the file named by its first
 * argument. Once every file is there, haproxy is stopped (SIGTERM to its process group, then
 * SIGKILL if needed, also when the test fails).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FEATURES, evaluateCondition, parse, type Line } from '../../src/syntax/index.js';
import { haproxyAvailable, skipReason } from '../helpers/env.js';

/** The words after `command <printargs> <outfile>`, as written in the config (raw bytes as JS text). */
const TRICKY_LINES: Array<[label: string, words: string]> = [
  ['escaped space', 'a\\ b'],
  ['double and single quotes', `"c d" 'e f'`],
  ['$HOME quoted, bare and single-quoted', `"$HOME" $HOME '$HOME'`],
  ['defaults, then an empty default ends the list', `"\${NOPE-dflt}" "\${HOME-dflt}" "\${NOPE-}" after`],
  ['set-but-empty variable ignores its default', `before "\${EMPTYVAR-dflt}" after`],
  ['# in the middle of a word starts a comment', 'x#y not-seen'],
  ['# quoted and escaped', `"q#r" 'q#r' z\\#w`],
  ['\\x escapes', `\\x41\\x42 "\\x43" '\\x44' \\x7e`],
  ['\\t escapes', `"t\\tu" 'v\\tw' x\\ty`],
  ['quoted pieces concatenate', `a"b c"d "a"'b'c`],
  ['quotes inside quotes and escaped quotes', `"a'b" 'a"b' \\' \\" "a\\"b" "a\\'b"`],
  ['\\$ inside and outside double quotes', `"\\$HOME" \\$HOME`],
  ['backslash before ordinary characters', `\\\\ \\q "\\q" '\\\\' "\\\\"`],
  ['variable name ends at the first non-name character', `"\${HOME}x" "$HOME.x" "$HOME-x" "\${HOME}\${HOME}"`],
  ['[*] splitting', `"\${MULTI[*]}" "pre\${MULTI[*]}post" "$MULTI" "\${NOPE[*]-d1 d2}"`],
  ['pseudo-variables', `"\${.LINE}" "$.FILE" "\${.SECTION}"`],
  ['TABs and spaces mixed', 'tab\tand  spaces\t \tmixed'],
  ['escaped trailing space', 'trailing\\ '],
  ['\\n and \\r escapes', `\\n "\\r" a\\nb`],
  ['default with spaces, default up to the first }', `"\${NOPE-a b}" "\${NOPE-x}y}" "\${SPACEY}"`],
  ['backslash at the end of the line', 'endswithbackslash\\'],
  ['UTF-8 passes through', 'héllo wörld 日本'],
  ['backslash before a TAB', 'a\\\tb'],
  ['[*] on a spaced value, unquoted ${} is literal', `"\${SPACEY[*]}" \${SPACEY}`],
  ['"" ends the list', '"" after'],
  ['adjacent quotes', `"a""b" ''x`],
  ['single quote closes despite the backslash', `'a\\'b "$MULTI[*]"`],
  ['empty [*] expansion', `x "\${EMPTYVAR[*]}" y`],
  ['unset [*] expansion', `x "\${UNSET[*]}" y`],
  ['empty variable glued, then ""', `x"\${EMPTYVAR}"y "" z`],
  ['escaped quotes outside quotes', `a\\"b a\\'b`],
  ['expansion only inside double quotes', `"\${HOME}"'\${HOME}'\${HOME}`],
  ['CR right after a word ends the line', 'a\rb c'],
  ['VT and FF separate words', 'a\vb\fc'],
  ['\\x00 ends the C string of its word', 'a\\x00b c'],
  ['\\x20 and \\x23 stay in the word', `"\\x20x" \\x23y`],
  ['a default runs over a double quote', `"\${NOPE-x"y}" z`],
  ['a default runs over quotes and blanks', `"\${NOPE-x" b "}" z`],
  ['a default runs over a CR', `"\${NOPE-x\ry}" z`],
  ['[*] value with a trailing blank makes an empty word', `"\${TRAIL[*]}" x`],
  ['[*] value with a trailing blank, glued', `"p\${TRAIL[*]}q" r`],
  ['[*] value with a leading blank makes an empty first word', `"\${LEAD[*]}" x`],
  ['a default is not unescaped', `"\${NOPE-a\\"b}" c`],
  ['a default is not expanded', `"\${NOPE-$HOME}" c`],
  ['an empty [*] default', `x "\${NOPE[*]-}" y`],
  ['\\x00 alone makes an empty word', 'x \\x00 y'],
  ['\\x escapes of UTF-8 bytes', `\\xc3\\xa9t\\xc3\\xa9 "\\xe2\\x82\\xac"`],
  ['global setenv/presetenv/unsetenv apply to later lines', `"\${SETVAR}" "\${PRESET}" "\${KEPT}" "\${GONE-gone}"`],
  ['a CR after a blank is a blank', 'a \rb c'],
  ['several blanks inside quotes', `"multi  \${SPACEY}  end"`],
  ['dollars outside double quotes', `$ $$ "\\$" '$(x)' $(pwd)`],
  ['[*] on a one-word value', `"\${HOME[*]}"`],
  ['pseudo-variables glued', `"\${.SECTION}-\${.LINE}"`],
  ['# in every quoting', `'#' "#" \\# x\\#y#z`],
  ['[*] with a default on a set variable', `"\${MULTI[*]-dflt}"`],
  ['only a comment after the fixed words', '#comment only'],
  ['mixed quoting in one word', `a'b'"c"\\d`],
  ['an empty variable glued to text', `"\${EMPTYVAR}x" y`],
  ['an unknown name glued to a known one', `"\${HOME}" "\${HOME-}" "$HOMEx" after`],
  ['unquoted braces and brackets are literal', '${HOME} {a} [*] [x]'],
  ['latin-1 range characters', 'ÿ ñ ß'],
  ['a comment right after a quote', `"a"#b c`],
];

/** The environment haproxy runs in, and the one hpm parses with. */
const ENV: Record<string, string> = {
  PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: '/root',
  EMPTYVAR: '',
  MULTI: 'one two  three',
  SPACEY: 'a b',
  TRAIL: 'a ',
  LEAD: ' a',
  GONE: 'will be unset',
  KEPT: 'kept by presetenv',
};

const GLOBAL = ['global', '    setenv SETVAR "set by setenv"', '    presetenv KEPT ignored', '    presetenv PRESET "preset value"', '    unsetenv GONE', ''];

const skip = skipReason('the argv differential test', haproxyAvailable, 'haproxy is not installed');

describe.skipIf(skip)('argv: hpm parse() vs haproxy 2.6 running programs', () => {
  let dir = '';
  let cfgPath = '';
  let master: ChildProcess | undefined;
  let haproxyLog = '';
  const outFile = (i: number) => join(dir, `argv-${i}`);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hpm-argv-'));
    const printargs = join(dir, 'printargs');
    writeFileSync(printargs, `#!/bin/sh\nout="$1"; shift\n# printf with no argument would still print one empty field\nif [ $# -gt 0 ]; then printf '%s\\0' "$@"; fi > "$out.tmp" && mv "$out.tmp" "$out"\n`);
    chmodSync(printargs, 0o755);
    const programs = TRICKY_LINES.map(([, words], i) => `program t${i}\n    command ${printargs} ${outFile(i)} ${words}\n`);
    cfgPath = join(dir, 'argv.cfg');
    writeFileSync(cfgPath, [...GLOBAL, ...programs].join('\n'));

    master = spawn('haproxy', ['-W', '-db', '-f', cfgPath], { env: ENV, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    master.stdout!.on('data', (d: Buffer) => (haproxyLog += d.toString()));
    master.stderr!.on('data', (d: Buffer) => (haproxyLog += d.toString()));
    const exited = new Promise<void>((resolve) => master!.once('exit', () => resolve()));
    const deadline = Date.now() + 20_000;
    let exitedEarly = false;
    void exited.then(() => (exitedEarly = true));
    while (Date.now() < deadline && !exitedEarly && !TRICKY_LINES.every((_, i) => existsSync(outFile(i)))) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await stopHaproxy();
  }, 40_000);

  async function stopHaproxy(): Promise<void> {
    const child = master;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000));
    if ((await Promise.race([gone, timeout])) === 'timeout') {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await gone;
    }
  }

  afterAll(async () => {
    await stopHaproxy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function commandLines(): Line[] {
    const { ast } = parse(readFileSync(cfgPath, 'utf8'), { file: cfgPath, env: ENV });
    return ast.lines.filter((l) => l.keyword === 'command');
  }

  it('haproxy started every program', () => {
    const missing = TRICKY_LINES.filter((_, i) => !existsSync(outFile(i))).map(([label]) => label);
    expect(missing, haproxyLog).toEqual([]);
  });

  it.each(TRICKY_LINES.map(([label], i) => [label, i] as const))('%s', (_label, i) => {
    const file = outFile(i);
    if (!existsSync(file)) throw new Error(`program t${i} did not run; haproxy said:\n${haproxyLog}`);
    const bytes = readFileSync(file);
    const fromHaproxy: string[] = [];
    let start = 0;
    for (let k = 0; k < bytes.length; k++) {
      if (bytes[k] === 0) {
        fromHaproxy.push(bytes.subarray(start, k).toString('utf8'));
        start = k + 1;
      }
    }
    const line = commandLines()[i]!;
    expect(line.args, `line ${line.number} has a lexical error for hpm`).toBeDefined();
    // args = command, printargs, outfile, <words under test>
    expect(line.args!.slice(3)).toEqual(fromHaproxy);
  });
});

/**
 * Lexical errors: `haproxy -c` reports `parsing [f:N]: <what> at position P` for each bad line
 * and goes on; hpm must flag the same lines with the matching rule, at the same column.
 */
const BAD_LINES: string[] = [
  'command x \\xZZ',
  'command x "${HOME"',
  'command x "$1abc"',
  'command x "cost: $"',
  'command x "$(pwd)"',
  'command x "abc',
  "command x 'abc",
  'command x "${NOPE:-x}"',
  'command x "${MULTI[x]}"',
  '  command x "$.FOO"',
  '\t\tcommand "\\x4"',
  'command "abc \\xZZ',
  'command "${HOME',
  'command a\\x',
  'command "${}"',
  'command "${.}"',
  'command "${HOME[*"',
  'command "${NOPE-abc',
  `command 'a' "b`,
  `command "a" 'b`,
  'command x "${NOPE-a" b',
  'command "$"',
  'command "\\xg0"',
  'command é "${é}"',
  `command ${Array.from({ length: 64 }, (_, i) => `w${i}`).join(' ')}`,
  `command ${Array.from({ length: 63 }, (_, i) => `w${i}`).join(' ')} `,
  `command "\${MULTI[*]}" ${Array.from({ length: 61 }, (_, i) => `w${i}`).join(' ')}`,
];
const GOOD_LINES: string[] = [
  `command ${Array.from({ length: 63 }, (_, i) => `w${i}`).join(' ')}`,
  `command ${Array.from({ length: 63 }, (_, i) => `w${i}`).join(' ')}#comment`,
  `command ${Array.from({ length: 62 }, (_, i) => `w${i}`).join(' ')} `,
  'command x\\x41 "\\x4a" \'\\xZZ\'',
  "command '$1' $(pwd) '${'",
];

const RULE_OF: Record<string, string> = {
  'unmatched quote': 'syntax/unmatched-quote',
  'unmatched brace in environment variable name': 'syntax/invalid-env-var',
  'forbidden first char in environment variable name': 'syntax/invalid-env-var',
  'truncated or invalid word expansion sequence': 'syntax/invalid-env-var',
  'truncated or invalid hexadecimal sequence': 'syntax/invalid-hex-escape',
  'too many words': 'syntax/too-many-words',
};

describe.skipIf(skip)('lexical errors: hpm vs haproxy -c 2.6', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hpm-lex-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function haproxyCheck(cfg: string, env: Record<string, string> = ENV): Promise<string> {
    const path = join(dir, 'lex.cfg');
    writeFileSync(path, cfg);
    return new Promise((resolve) => {
      const child = spawn('haproxy', ['-c', '-W', '-f', path], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('close', () => resolve(out));
    });
  }

  it('flags the same lines, with the same rule and column', async () => {
    // Bad lines alternate with good ones so that a wrong "line swallowed" shows.
    const body = BAD_LINES.flatMap((l) => [l, ...GOOD_LINES.slice(0, 1)]).concat(GOOD_LINES);
    // Every line goes in its own program so that a lexically valid line stays valid for haproxy.
    const lines = body.flatMap((l, i) => [`program p${i}`, `    ${l}`]);
    // A lexical error inside a skipped block is still reported by haproxy.
    lines.push('.if 0', '    command "unclosed', '.endif');
    const cfg = lines.join('\n') + '\n';
    const out = await haproxyCheck(cfg);
    const fromHaproxy = [...out.matchAll(/parsing \[[^\]]*:(\d+)\]: (.*?)(?: at position (\d+):|, truncating after word \d+, position \d+)/g)].map(
      (m) => ({ line: Number(m[1]), ruleId: RULE_OF[m[2]!] ?? `unknown: ${m[2]}`, column: m[3] ? Number(m[3]) : undefined }),
    );
    expect(fromHaproxy.length, out).toBe(BAD_LINES.length + 1);

    const { diagnostics } = parse(cfg, { file: 'lex.cfg', env: ENV });
    const fromHpm = diagnostics
      .filter((d) => Object.values(RULE_OF).includes(d.ruleId))
      .map((d) => ({ line: d.span.start.line, ruleId: d.ruleId, column: /at position (\d+)$/.exec(d.message)?.[1] ? Number(/at position (\d+)$/.exec(d.message)![1]) : undefined }));
    expect(fromHpm).toEqual(fromHaproxy);
    // On an ASCII line, the span starts at the column HAProxy names.
    for (const d of diagnostics.filter((x) => /at position/.test(x.message) && !/é/.test(cfg.split('\n')[x.span.start.line - 1]!))) {
      expect(d.message).toContain(`at position ${d.span.start.column}`);
    }
  });

  it.each([
    ['.notice "${NOPE-xy}"\n'],
    ['# first\n.notice "${NOPE-xy}"\n'],
    [`global\n.notice "${'A'.repeat(1020)}\${NOPE-x}"\n`],
    [`global\n.notice "${'A'.repeat(1000)}\${NOPE-x}"\n`],
  ])('2.6 buffer-growth quirk for ${NAME-default}: %#', async (cfg) => {
    const out = await haproxyCheck(cfg);
    const fromHaproxy = [...out.matchAll(/parsing \[[^\]]*:(\d+)\]: unmatched brace in environment variable name at position (\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    const fromHpm = parse(cfg, { file: 'lex.cfg', env: ENV })
      .diagnostics.filter((d) => d.ruleId === 'syntax/invalid-env-var')
      .map((d) => [d.span.start.line, Number(/position (\d+)/.exec(d.message)![1])]);
    expect(fromHpm).toEqual(fromHaproxy);
  });

  /** `haproxy -cc <cond>` exits 0 (true), 1 (false) or 2 (error): hpm must agree on each. */
  const CONDITIONS = [
    '1', '0', '0x10', '-1', '08', ' 1', 'defined(HOME)', 'defined(NOPE)', 'defined(EMPTYVAR)', '!defined(NOPE)', '! ! 1',
    'streq(a,a)', 'streq(a,b)', 'strneq(a,b)', 'streq("a b",\'a b\')', 'feature(OPENSSL)', 'feature(ZLIB)', 'feature(PCRE)', 'feature(SLZ)',
    'version_atleast(2.6)', 'version_atleast(2.6.12)', 'version_atleast(2.6.13)', 'version_before(2.7)', 'version_before(2.6.12)',
    'openssl_version_atleast(3.0.0)', 'openssl_version_atleast(3.0.1)', 'openssl_version_before(3.0.1)', 'ssllib_name_startswith(Open)', 'ssllib_name_startswith(Libre)',
    '1 && 0', '0 || 1', '0 || 1 && 0', '(0 || 1) && 1', '!(1 && 0)', '1 || bogus(', '1 &&', 'defined(a,b)', 'streq()', '(1', 'x',
  ];
  it.each(CONDITIONS)('condition %j: same verdict as haproxy -cc', async (condition) => {
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn('haproxy', ['-cc', condition], { env: ENV, stdio: 'ignore' });
      child.on('close', (c) => resolve(c));
    });
    const result = evaluateCondition(condition, { env: ENV, haproxyVersion: '2.6.12', features: DEFAULT_FEATURES });
    expect(result.error ? 2 : result.value ? 0 : 1).toBe(code);
  });

  /** Conditional errors abort the file, so each gets its own run. */
  const CONDITIONAL_CASES: string[] = [
    '.if bogus(1)\n.endif\n',
    '.if 1 2\n.endif\n',
    '.if defined(HOME) &&\n.endif\n',
    '.if (1\n.endif\n',
    '.if streq(a)\n.endif\n',
    '.if "" bogus\n.endif\n',
    '.if 0\n.elif !!x\n.endif\n',
    '.if 0\n.if bogus(\n.endif\n.endif\n',
    '.endif\n',
    '.if 1\n.else\n.else\n.endif\n',
    '.if 1\n.else\n.elif 1\n.endif\n',
    '.if 1\n.else extra\n.endif\n',
    '.elif 1\n',
    '.else\n',
    '.if 1\n',
    '.foo bar\n',
    '.warning two words\n',
    '.if 1 || bogus(\n.endif\n',
    '.if 0 && bogus(\n.endif\n',
  ];

  it.each(CONDITIONAL_CASES)('conditional %j: same line and message', async (cfg) => {
    const out = await haproxyCheck(`${cfg}program p\n    command a\n`);
    const haproxyErrors = [...out.matchAll(/\[ALERT\].*parsing \[[^\]]*:(\d+)\]: (.*)/g)].map((m) => ({ line: Number(m[1]), message: m[2]!.replace(/:$/, '') }));
    const { diagnostics } = parse(`${cfg}program p\n    command a\n`, { file: 'lex.cfg', env: ENV });
    const hpmErrors = diagnostics.filter((d) => d.ruleId === 'syntax/conditional' || d.ruleId === 'syntax/unknown-directive');
    // hpm keeps reading after an abort to report more; haproxy's first error must be hpm's first.
    if (haproxyErrors.length === 0) {
      expect(hpmErrors).toEqual([]);
      return;
    }
    expect(hpmErrors.length, out).toBeGreaterThan(0);
    if (/non-terminated/.test(haproxyErrors[0]!.message)) {
      // The parser points at the open `.if`; its finding carries the line HAProxy reports.
      expect(hpmErrors[0]!.finding).toMatchObject({ code: 'non-terminated-if', lastLine: haproxyErrors[0]!.line });
    } else {
      expect(hpmErrors[0]!.span.start.line).toBe(haproxyErrors[0]!.line);
    }
    // The parser's message is HAProxy's own words.
    expect(hpmErrors[0]!.message).toBe(haproxyErrors[0]!.message);
  });
});
