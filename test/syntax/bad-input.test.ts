/**
 * Hostile or odd input: the parser must return clear diagnostics, never throw, never hang, and
 * still print the input back byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { decodeConfigBytes, encodeConfigText } from '../../src/model/index.js';
import { parse, print } from '../../src/syntax/index.js';
import { xorshiftBytes } from '../helpers/random-bytes.js';

describe('bad input', () => {
  it('a binary file (random bytes with NULs): diagnostics, no crash, lossless', () => {
    const bytes = xorshiftBytes(64 * 1024, 42);
    expect(bytes.includes(0)).toBe(true);
    const { text, encoding } = decodeConfigBytes(bytes);
    const { ast, diagnostics } = parse(text, { file: 'random.bin' });
    expect(encodeConfigText(print(ast), encoding).equals(bytes)).toBe(true);
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics.map((d) => d.ruleId)).toContain('syntax/nul-byte');
    expect(diagnostics.some((d) => d.ruleId === 'syntax/internal')).toBe(false);
    for (const d of diagnostics) {
      expect(d.span.start.line).toBeGreaterThanOrEqual(1);
      expect(d.span.start.column).toBeGreaterThanOrEqual(1);
      expect(d.message.length).toBeGreaterThan(0);
    }
  });

  it('an empty file: no line, no diagnostic', () => {
    const { ast, diagnostics } = parse('');
    expect(ast.lines).toEqual([]);
    expect(diagnostics).toEqual([]);
    expect(print(ast)).toBe('');
  });

  it('a 20,000-character line is accepted (HAProxy has no line limit)', () => {
    const long = 'x'.repeat(20_000);
    const text = `program p\n    command echo ${long} "${long}"\n`;
    const { ast, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(ast.lines[1]!.args).toEqual(['command', 'echo', long, long]);
    expect(print(ast)).toBe(text);
  });

  it('a file of only comments: every line is a comment, nothing to report', () => {
    const text = '# one\n   # two\n\t# three "unclosed\n#\n';
    const { ast, diagnostics } = parse(text);
    expect(ast.lines.map((l) => l.kind)).toEqual(['comment', 'comment', 'comment', 'comment']);
    expect(ast.sections).toEqual([]);
    expect(diagnostics).toEqual([]);
  });

  it('a line with 65 words: one clear diagnostic, the line has no argv', () => {
    const words = Array.from({ length: 64 }, (_, i) => `a${i}`).join(' ');
    const { ast, diagnostics } = parse(`program p\n    command ${words}\n`);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ ruleId: 'syntax/too-many-words', span: { start: { line: 2 } } });
    expect(diagnostics[0]!.message).toBe('too many words, truncating after word 64, position 247: <a62>.');
    expect(diagnostics[0]!.finding).toEqual({ code: 'too-many-words', wordCount: 65, position: 247, lastKept: 'a62', trailingBlank: false });
    expect(ast.lines[1]!.args).toBeUndefined();
  });

  it('101 nested .if: refused at the 100th with HAProxy message', () => {
    const text = '.if 1\n'.repeat(101) + 'global\n' + '.endif\n'.repeat(101);
    const { diagnostics } = parse(text);
    const nesting = diagnostics.filter((d) => d.finding?.code === 'too-many-nested-if');
    expect(nesting.map((d) => d.span.start.line)).toEqual([100, 101]);
    expect(nesting[0]!.message).toBe("too many nested '.if', max is 100.");
  });

  it('deeply nested parentheses in a condition do not overflow the stack', () => {
    const text = `.if ${'('.repeat(5000)}1${')'.repeat(5000)}\n.endif\n`;
    const { diagnostics } = parse(text);
    expect(diagnostics.length).toBeLessThanOrEqual(1);
  });

  it('unbalanced quotes and braces on every line of a long file', () => {
    const text = Array.from({ length: 2000 }, (_, i) => (i % 2 ? `  x "\${A${i}` : `  y '${i}`)).join('\n') + '\n';
    const { ast, diagnostics } = parse(text);
    expect(print(ast)).toBe(text);
    expect(diagnostics.filter((d) => d.ruleId === 'syntax/unmatched-quote')).toHaveLength(1000);
    expect(diagnostics.filter((d) => d.ruleId === 'syntax/invalid-env-var')).toHaveLength(1000);
  });

  it('lone CRs, form feeds and a BOM in the middle do not break line counting', () => {
    const text = 'global\r\r\n\f\v maxconn 1\n\ufeff  nbthread 2\nprogram p\n    command a\r';
    const { ast } = parse(text);
    expect(print(ast)).toBe(text);
    expect(ast.lines).toHaveLength(5);
    expect(ast.lines[1]!.args).toEqual(['maxconn', '1']);
  });
});
