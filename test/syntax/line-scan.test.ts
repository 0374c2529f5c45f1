/**
 * grammar/line-scan.ts reads the CST a line at a time as offsets, and cuts a word's pieces again
 * on demand with the word-piece tokens alone. Both must give exactly the cuts of the whole-file
 * CST: on every corpus file and on random lines.
 */
import { readFileSync } from 'node:fs';
import type { CstNode, IToken } from 'chevrotain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chevrotain } from '../../grammar/chevrotain.js';
import { grammarTokens } from '../../grammar/lexer.js';
import { parseCstChunks } from '../../grammar/parser.js';
import { scanLines, scanPieces } from '../../grammar/line-scan.js';
import { corpusDir, corpusFiles } from '../helpers/corpus.js';
import { propertySeed } from '../helpers/env.js';


const KIND_OF_TOKEN: Record<string, string> = {
  BareText: 'bare',
  Escape: 'escape',
  DoubleQuoted: 'double-quoted',
  SingleQuoted: 'single-quoted',
  UnclosedDoubleQuoted: 'unclosed-double-quoted',
  UnclosedSingleQuoted: 'unclosed-single-quoted',
  Blank: 'blank',
  ScopeLine: 'scope',
  Comment: 'comment',
  CarriageReturnTail: 'cr',
  NulTail: 'nul',
  Newline: 'newline',
};

/** `kind@offset:length` for every token of the Chevrotain reference, in input order. */
function referenceCuts(text: string): string[] {
  const cuts: string[] = [];
  parseCstChunks(text, (lines: CstNode[], chunkOffset) => {
    for (const line of lines) {
      const tokens = Object.values(line.children).flat() as IToken[];
      tokens.sort((a, b) => a.startOffset - b.startOffset);
      for (const t of tokens) cuts.push(`${KIND_OF_TOKEN[t.tokenType.name]}@${chunkOffset + t.startOffset}:${t.image.length}`);
    }
  });
  return cuts;
}

/** The same cuts as the AST builder sees them: line offsets from scanLines, pieces from scanPieces. */
function lineScanCuts(text: string): string[] {
  const cuts: string[] = [];
  const cut = (kind: string, from: number, to: number) => {
    if (to > from) cuts.push(`${kind}@${from}:${to - from}`);
  };
  scanLines(text, (scan) => {
    cut('blank', scan.start, scan.indentEnd);
    if (scan.scopeStart >= 0) cut('scope', scan.scopeStart, scan.contentEnd);
    for (let k = 0; k < scan.wordCount; k++) {
      const from = scan.wordBounds[2 * k]!;
      const to = scan.wordBounds[2 * k + 1]!;
      if (k > 0) cut('blank', scan.wordBounds[2 * k - 1]!, from);
      scanPieces(text, from, to, cut);
    }
    const tail = scan.tailStart >= 0 ? scan.tailStart : scan.contentEnd;
    if (scan.trailingStart >= 0) cut('blank', scan.trailingStart, tail);
    if (scan.tailKind) cut(scan.tailKind, scan.tailStart, scan.contentEnd);
    cut('newline', scan.contentEnd, scan.end);
  });
  return cuts;
}


/**
 * The lexer with BareText as the plain regexp it stands for. Chevrotain cannot optimize that
 * regexp (complement set), so this lexer tries every token at every offset: the reference for
 * the hand-written matcher and its start-character hint.
 */
const { allTokens, BareText, haproxyLexer } = grammarTokens();
const regexpBareText = chevrotain().createToken({ name: 'BareText', pattern: /(?:[^ \t\v\f\r\n\x00"'\\#]|\\(?![\\ #'"tnrx]))+/ });
const referenceLexer = new (chevrotain().Lexer)(
  allTokens.map((t) => (t === BareText ? regexpBareText : t)),
  { positionTracking: 'onlyOffset', skipValidations: true, lineTerminatorsPattern: /\n/g, lineTerminatorCharacters: ['\n'] },
);
function tokenCuts(tokens: IToken[]): string[] {
  return tokens.map((t) => `${t.tokenType.name}@${t.startOffset}:${t.image.length}`);
}

describe('the first-character-optimized lexer = the same tokens as plain regexps', () => {
  it('on random text, non-ASCII included', () => {
    const pieces = ['a', ' ', '\t', '\v', '\f', '\r', '\n', '\0', '#', '[', '"', "'", '\\', 'x', 't', 'n', 'r', '1', '$', 'é', 'ÿ', 'Ā', '中', '😀', '\udc00', '\u00a0', '\ufeff', '\uffff'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        const optimized = haproxyLexer.tokenize(text);
        expect(optimized.errors).toEqual([]);
        expect(tokenCuts(optimized.tokens)).toEqual(tokenCuts(referenceLexer.tokenize(text).tokens));
      }),
      { numRuns: 3000, seed: propertySeed },
    );
  });
});

describe('line-by-line reading and on-demand pieces = the whole-file CST', () => {
  it('on every corpus file', () => {
    const files = corpusFiles();
    for (const name of files) {
      const text = readFileSync(`${corpusDir}/${name}`, 'latin1');
      expect(lineScanCuts(text), name).toEqual(referenceCuts(text));
    }
  });

  it('on random lines of quotes, escapes, blanks, CR, NUL, #, [, ${...}, non-ASCII', () => {
    const pieces = ['a', 'bc', ' ', '\t', '\v', '\r', '\n', '\0', '#', '[', ']', '"', "'", '\\', '\\x', '\\x4', '\\x41', '\\t', '\\q', '$', '${', '${A', '-', '}', '[*]', 'x}', '\ufeff', 'é', '中', '😀', '\ud83d', '\u00a0', '\\é', '\\\ufeff'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        expect(lineScanCuts(text)).toEqual(referenceCuts(text));
      }),
      { numRuns: 3000, seed: propertySeed },
    );
  });
});
