/**
 * The CST, read as the AST builder needs it: one physical line at a time, as offsets into the
 * text (no token or CST node outlives its chunk, so big files stay cheap), and the pieces of one
 * word on demand (most words are never asked for their fragments).
 */
import type { CstNode, IToken, Lexer, TokenType } from 'chevrotain';
import { chevrotain } from './chevrotain.js';
import { scanEasyLine, scanEasyPieces } from './fast-line.js';
import { grammarTokens } from './lexer.js';
import { parseCstChunks } from './parser.js';

export type PieceKind = 'bare' | 'escape' | 'double-quoted' | 'single-quoted' | 'unclosed-double-quoted' | 'unclosed-single-quoted';

const PIECE_KINDS: Record<string, PieceKind> = {
  BareText: 'bare',
  Escape: 'escape',
  DoubleQuoted: 'double-quoted',
  SingleQuoted: 'single-quoted',
  UnclosedDoubleQuoted: 'unclosed-double-quoted',
  UnclosedSingleQuoted: 'unclosed-single-quoted',
};

/** One physical line as offsets into the text (reused from line to line: copy what you keep). */
export interface LineScan {
  /** Offset of the line's first character. */
  start: number;
  /** End of the leading blank (== start when there is none). */
  indentEnd: number;
  /** Start of a `[scope` line's text, or -1. */
  scopeStart: number;
  /** Start and end offsets of each word: wordBounds[2k], wordBounds[2k+1]. */
  wordBounds: number[];
  wordCount: number;
  /** Start of the blank after the last word, or -1. */
  trailingStart: number;
  /** Start of a `#` comment, a CR tail or a NUL tail (the rest of the line up to LF), or -1. */
  tailStart: number;
  tailKind: 'comment' | 'cr' | 'nul' | undefined;
  /** Offset of the LF, or the text length for a last line without one. */
  contentEnd: number;
  /** Offset after the line (after its LF). */
  end: number;
  /** Cut by the easy-line scanner (grammar/fast-line.ts): no CR, NUL, unclosed quote or scope. */
  easy: boolean;
}

function newLineScan(): LineScan {
  return { start: 0, indentEnd: 0, scopeStart: -1, wordBounds: [], wordCount: 0, trailingStart: -1, tailStart: -1, tailKind: undefined, contentEnd: 0, end: 0, easy: false };
}

function tokens(node: CstNode, label: string): IToken[] | undefined {
  return node.children[label] as IToken[] | undefined;
}

/** Fills `out` from one `line` CST node whose tokens are offset by `base` in the text. */
function readLineNode(node: CstNode, base: number, lineStart: number, textLength: number, out: LineScan): void {
  out.start = lineStart;
  out.indentEnd = lineStart;
  out.scopeStart = -1;
  out.wordCount = 0;
  out.trailingStart = -1;
  out.tailStart = -1;
  out.tailKind = undefined;

  const indent = tokens(node, 'indent')?.[0];
  if (indent) out.indentEnd = base + indent.startOffset + indent.image.length;
  const scope = tokens(node, 'ScopeLine')?.[0];
  if (scope) out.scopeStart = base + scope.startOffset;

  // Pieces come in document order; a piece that does not start where the previous one ended
  // starts a new word (a blank lies between them).
  const pieces = tokens(node, 'piece') ?? [];
  let lastEnd = -1;
  for (const piece of pieces) {
    const from = base + piece.startOffset;
    const to = from + piece.image.length;
    if (from !== lastEnd) {
      out.wordBounds[2 * out.wordCount] = from;
      out.wordCount++;
    }
    out.wordBounds[2 * out.wordCount - 1] = to;
    lastEnd = to;
  }

  // A blank after the last piece is the trailing blank; the others are gaps between words.
  const blanks = tokens(node, 'blank');
  const lastBlank = blanks?.[blanks.length - 1];
  if (lastBlank && base + lastBlank.startOffset >= lastEnd) out.trailingStart = base + lastBlank.startOffset;

  const tail = tokens(node, 'Comment')?.[0] ?? tokens(node, 'CarriageReturnTail')?.[0] ?? tokens(node, 'NulTail')?.[0];
  if (tail) {
    out.tailStart = base + tail.startOffset;
    const name = tail.tokenType.name;
    out.tailKind = name === 'Comment' ? 'comment' : name === 'CarriageReturnTail' ? 'cr' : 'nul';
  }

  const newline = tokens(node, 'Newline')?.[0];
  if (newline) {
    out.contentEnd = base + newline.startOffset;
    out.end = out.contentEnd + 1;
  } else {
    // The last line of a file without a final LF runs to the end of the text.
    out.contentEnd = textLength;
    out.end = textLength;
  }
}

export interface ScanOptions {
  /** Every line through Chevrotain, none through the easy-line scanner (the reference the tests compare with). */
  grammarOnly?: boolean;
}

/**
 * The default for every scan, parse() included: tests set `grammarOnly` to read whole files
 * through the grammar alone and compare what comes out with the usual mixed reading.
 */
export const scanDefaults: ScanOptions = { grammarOnly: false };

/**
 * Calls `visit` for every physical line of `text`, in order. Easy lines (grammar/fast-line.ts)
 * are cut by a small scanner; every run of other lines is read through the Chevrotain lexer and
 * CstParser. Returns Chevrotain's own errors (none for any input: a grammar bug otherwise).
 */
export function scanLines(text: string, visit: (scan: LineScan) => void, options: ScanOptions = scanDefaults): string[] {
  const scan = newLineScan();
  const errors: string[] = [];
  const grammarLines = (from: number, to: number): void => {
    let lineStart = from;
    const slice = from === 0 && to === text.length ? text : text.slice(from, to);
    parseCstChunks(slice, (lineNodes, chunkOffset, chunkErrors) => {
      errors.push(...chunkErrors);
      for (const node of lineNodes) {
        readLineNode(node, from + chunkOffset, lineStart, text.length, scan);
        scan.easy = false;
        lineStart = scan.end;
        visit(scan);
      }
    });
  };
  if (options.grammarOnly) {
    grammarLines(0, text.length);
    return errors;
  }
  // Lines the scanner declines gather into one run for the grammar (cutting after an LF changes nothing).
  let hardFrom = -1;
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const lf = newline < 0 ? text.length : newline;
    const next = newline < 0 ? text.length : newline + 1;
    if (scanEasyLine(text, start, lf, scan)) {
      if (hardFrom >= 0) {
        // The scan of this easy line is redone after the grammar has used the shared record.
        grammarLines(hardFrom, start);
        hardFrom = -1;
        scanEasyLine(text, start, lf, scan);
      }
      scan.easy = true;
      visit(scan);
    } else if (hardFrom < 0) {
      hardFrom = start;
    }
    start = next;
  }
  if (hardFrom >= 0) grammarLines(hardFrom, text.length);
  return errors;
}

/**
 * The word-piece tokens alone: cutting one word again needs no blank, comment or scope token
 * (and a word starting with `[` must not read as a scope line). Built on first use.
 */
let wordLexerInstance: Lexer | undefined;
function wordLexer(): Lexer {
  return (wordLexerInstance ??= new (chevrotain().Lexer)(grammarTokens().wordPieceTokens as TokenType[], {
    positionTracking: 'onlyOffset',
    ensureOptimizations: false,
    skipValidations: true,
    lineTerminatorsPattern: /\n/g,
    lineTerminatorCharacters: ['\n'],
  }));
}

/** The pieces of the word `text[start..end)`, in order (the easy-line scanner's cut when it can, else the grammar's). */
export function scanPieces(text: string, start: number, end: number, visit: (kind: PieceKind, from: number, to: number) => void, options: ScanOptions = scanDefaults): void {
  if (!options.grammarOnly && scanEasyPieces(text, start, end, visit)) return;
  for (const token of wordLexer().tokenize(text.slice(start, end)).tokens) {
    const from = start + token.startOffset;
    visit(PIECE_KINDS[token.tokenType.name]!, from, from + token.image.length);
  }
}
