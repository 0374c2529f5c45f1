/**
 * The easy-line scanner (grammar/fast-line.ts) beside the Chevrotain grammar: for every line it
 * accepts it must cut exactly as the grammar does. Compared here on every corpus file and on
 * 100k+ random lines, line by line (indent, word bounds, gaps, trailing blank, comment, line end),
 * piece by piece, and through parse() (the AST's raw text, argv and the findings; a mixed reading
 * also makes compact lines, whose words are built on first read, and must read the same).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { scanDefaults, scanLines, scanPieces } from '../../grammar/line-scan.js';
import { scanEasyLine } from '../../grammar/fast-line.js';
import { parse } from '../../src/syntax/index.js';
import { isCompact } from '../../src/syntax/line-shape.js';
import { corpusDir, corpusFiles } from '../helpers/corpus.js';
import { propertySeed } from '../helpers/env.js';

/** Compact lines made by the mixed readings so far (the comparison must cover them too). */
let compactLines = 0;

afterEach(() => {
  scanDefaults.grammarOnly = false;
});

/** Everything the AST builder reads of a text: each line's scan and each word's pieces. */
function cuts(text: string, grammarOnly: boolean): string[] {
  const out: string[] = [];
  scanLines(
    text,
    (scan) => {
      const words: string[] = [];
      for (let k = 0; k < scan.wordCount; k++) {
        const pieces: string[] = [];
        scanPieces(text, scan.wordBounds[2 * k]!, scan.wordBounds[2 * k + 1]!, (kind, from, to) => pieces.push(`${kind}:${JSON.stringify(text.slice(from, to))}@${from}`), { grammarOnly });
        words.push(`[${scan.wordBounds[2 * k]},${scan.wordBounds[2 * k + 1]}) ${pieces.join(' ')}`);
      }
      const { start, indentEnd, scopeStart, trailingStart, tailStart, tailKind, contentEnd, end } = scan;
      out.push(JSON.stringify({ start, indentEnd, scopeStart, trailingStart, tailStart, tailKind, contentEnd, end, words }));
    },
    { grammarOnly },
  );
  return out;
}

/** What parse() makes of a text that a user could notice: raw words, argv, kinds, findings. */
function parsed(text: string, grammarOnly: boolean): unknown {
  scanDefaults.grammarOnly = grammarOnly;
  try {
    const { ast, diagnostics } = parse(text, { file: 'x.cfg', env: { A: 'a b', B: '' } });
    compactLines += ast.lines.filter(isCompact).length;
    return {
      lines: ast.lines.map((l) => [l.kind, l.indent, l.words.map((w) => [w.raw, w.span, w.fragments, w.values]), l.gaps, l.trailing, l.comment, l.crTail, l.nulTail, l.scope, l.eol, l.args, l.span]),
      diagnostics: diagnostics.map((d) => [d.ruleId, d.message, d.span, d.finding]),
    };
  } finally {
    scanDefaults.grammarOnly = false;
  }
}

function expectSameReading(text: string, name: string): void {
  expect(cuts(text, false), name).toEqual(cuts(text, true));
  expect(parsed(text, false), name).toEqual(parsed(text, true));
}

/** Line pieces: mostly what configurations hold (so most lines are easy), plus every tricky character. */
const common = ['server', 'srv1', '10.0.0.1:80', 'check', 'acl', 'hdr(host)', '-i', 'global', 'program', 'backend', 'frontend', 'no', 'option', 'command', '.if', '.endif', 'defined(A)', 'setenv', 'A', 'x'];
const quoted = ['"a b"', '"${A}"', '"${A[*]}"', '"${A-d}"', '"${NOPE-x"y}"', '"$A"', '"\\""', "'q r'", "''", '""', '"a\\\\b"', '"${A'];
const odd = ['\\', '\\ ', '\\#', '\\x', '\\x4', '\\x41g', '\\t', '\\q', '\\"', "\\'", '$', '${', '}', '#', '# c', '[', '[s]', '"', "'", '\r', '\0', '\r\n', 'é', '中', '😀', '\ud83d', '\ufeff', '\u00a0'];
const blanks = [' ', ' ', ' ', '  ', '\t', '\v', '\f'];
const linePart = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...common) }, { weight: 2, arbitrary: fc.constantFrom(...quoted) }, { weight: 1, arbitrary: fc.constantFrom(...odd) }, { weight: 6, arbitrary: fc.constantFrom(...blanks) });
const line = fc.array(linePart, { maxLength: 12 }).map((parts) => parts.join(''));

describe('the easy-line scanner cuts as the grammar does', () => {
  it('on every corpus file', () => {
    for (const name of corpusFiles()) expectSameReading(readFileSync(`${corpusDir}/${name}`, 'latin1'), name);
  });

  it('on 100k random lines', () => {
    let easy = 0;
    let total = 0;
    fc.assert(
      fc.property(fc.array(line, { minLength: 200, maxLength: 200 }), fc.boolean(), (lines, finalNewline) => {
        const text = lines.join('\n') + (finalNewline ? '\n' : '');
        let start = 0;
        const scan = { start: 0, indentEnd: 0, scopeStart: -1, wordBounds: [] as number[], wordCount: 0, trailingStart: -1, tailStart: -1, tailKind: undefined, contentEnd: 0, end: 0, easy: true };
        for (const l of lines) {
          total++;
          if (scanEasyLine(text, start, start + l.length, scan)) easy++;
          start += l.length + 1;
        }
        expectSameReading(text, 'random');
      }),
      { numRuns: 520, seed: propertySeed },
    );
    // Both kinds of line must be exercised: the comparison says nothing about a path never taken.
    expect(total).toBeGreaterThanOrEqual(100_000);
    expect(easy / total).toBeGreaterThan(0.3);
    expect(easy / total).toBeLessThan(0.95);
    expect(compactLines).toBeGreaterThan(1000);
  });
});
