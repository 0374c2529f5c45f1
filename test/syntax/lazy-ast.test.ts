/** The lazy AST (src/syntax/lazy-word.ts, line-node.ts, shape-reuse.ts) reads exactly like an eager one. */
import { describe, expect, it } from 'vitest';
import { parse, printLine } from '../../src/syntax/index.js';

describe('a second reader of the same text (shapes reused from the first AST)', () => {
  const text = [
    'global',
    '    setenv GREETING "hi ${WHO-there}"',
    '.if defined(HPM_RUN)',
    '    .notice "hpm-run ${HPM_RUN}"',
    '.endif',
    'program p',
    '    command /bin/echo "$GREETING" \'single\' bare\\ esc "${LIST[*]}" \\x41 "${.LINE}"',
    '    command "unclosed',
    '    user "${NOPE"',
    '',
  ].join('\n');
  const view = (env: Record<string, string>) => {
    const { ast, diagnostics } = parse(text, { env });
    return {
      lines: ast.lines.map((l) => [l.kind, l.active, l.args ?? null, l.words.map((w) => [w.raw, w.values ?? null, w.span.start.column, w.fragments.length])]),
      diagnostics: diagnostics.map((d) => [d.ruleId, d.message, d.span.start.line, d.span.start.column]),
    };
  };

  it('reads exactly what a first reader reads, env-dependent words included', () => {
    const hpmRunEnv = { HPM_RUN: '1', WHO: 'you', LIST: 'a b' };
    const first = view(hpmRunEnv);
    const other = view({ LIST: 'x' }); // a different env in between, reusing the first AST's shapes
    const again = view(hpmRunEnv);
    expect(again).toEqual(first);
    expect(other.lines).not.toEqual(first.lines);
    expect(other.lines[6]![2]).toEqual(['command', '/bin/echo', 'hi there', 'single', 'bare esc', 'x', 'A', '7']);
    expect(first.lines[6]![2]).toEqual(['command', '/bin/echo', 'hi you', 'single', 'bare esc', 'a', 'b', 'A', '7']);
  });
});

describe('spans computed on first read', () => {
  const text = 'global\n  maxconn  10 # max\r\n\tnbthread "4"\n';
  const { ast } = parse(text);

  it('give the same line, word, fragment and comment positions as the text', () => {
    const [, maxconn, nbthread] = ast.lines;
    expect(maxconn!.span).toEqual({ start: { offset: 7, line: 2, column: 1 }, end: { offset: 28, line: 2, column: 22 } });
    expect(maxconn!.words[1]!.span).toEqual({ start: { offset: 18, line: 2, column: 12 }, end: { offset: 20, line: 2, column: 14 } });
    expect(maxconn!.comment!.span).toEqual({ start: { offset: 21, line: 2, column: 15 }, end: { offset: 27, line: 2, column: 21 } }); // a comment runs to the LF
    expect(nbthread!.words[1]!.fragments).toEqual([{ kind: 'double-quoted', raw: '"4"', span: { start: { offset: 38, line: 3, column: 11 }, end: { offset: 41, line: 3, column: 14 } } }]);
    for (const line of ast.lines) {
      expect(text.slice(line.span.start.offset, line.span.end.offset)).toBe(printLine(line));
      for (const w of line.words) expect(text.slice(w.span.start.offset, w.span.end.offset)).toBe(w.raw);
    }
  });

  it('survive JSON (spans are getters, not own properties)', () => {
    const plain = JSON.parse(JSON.stringify(ast.lines[1]));
    expect(plain.span.end.column).toBe(22);
    expect(plain.words[0]).toEqual({ raw: 'maxconn', span: { start: { offset: 9, line: 2, column: 3 }, end: { offset: 16, line: 2, column: 10 } }, fragments: [expect.objectContaining({ kind: 'bare', raw: 'maxconn' })], values: ['maxconn'] });
    expect(plain.comment).toEqual({ raw: '# max\r', span: { start: { offset: 21, line: 2, column: 15 }, end: { offset: 27, line: 2, column: 21 } } });
  });
});
