/**
 * The hand-written line scanner that parse() uses: the same cuts as the Chevrotain lexer and
 * grammar (grammar/lexer.ts, grammar/parser.ts, which stay as the readable reference and are
 * checked against this scanner by test/syntax/scanner.test.ts), without building tokens or CST
 * nodes. One call reads one physical line into a reused `LineScan`; word pieces are cut again on
 * demand by `scanPieces` (only words that need cooking, or whose fragments are read, pay for it).
 */
import { scanDoubleQuoted } from './quoted.js';

export type PieceKind = 'bare' | 'escape' | 'double-quoted' | 'single-quoted' | 'unclosed-double-quoted' | 'unclosed-single-quoted';

/** One physical line, as offsets into the text (reused from line to line: copy what you keep). */
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
}

export function newLineScan(): LineScan {
  return { start: 0, indentEnd: 0, scopeStart: -1, wordBounds: [], wordCount: 0, trailingStart: -1, tailStart: -1, tailKind: undefined, contentEnd: 0, end: 0 };
}

/** Blank inside a line: space, TAB, VT, FF. */
function isInnerBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12;
}

/** A character that cannot start or continue a word piece: blanks, CR, LF, NUL, `#`. */
function endsWord(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12 || c === 13 || c === 10 || c === 0 || c === 35 || Number.isNaN(c);
}

/** Characters that make `\c` an escape (grammar/lexer.ts Escape); `x` is handled apart. */
function isEscapedChar(c: number): boolean {
  return c === 92 || c === 32 || c === 35 || c === 39 || c === 34 || c === 116 || c === 110 || c === 114;
}

function isHexCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** Reads the physical line starting at `start` into `out`. `start` must be < text.length. */
export function scanLine(text: string, start: number, out: LineScan): void {
  const n = text.length;
  let lf = text.indexOf('\n', start);
  if (lf < 0) lf = n;
  out.start = start;
  out.contentEnd = lf;
  out.end = lf < n ? lf + 1 : n;
  out.scopeStart = -1;
  out.wordCount = 0;
  out.trailingStart = -1;
  out.tailStart = -1;
  out.tailKind = undefined;
  let i = start;
  // Leading blanks: every isspace() byte, CR included (HAProxy skips them before tokenizing).
  for (let c = text.charCodeAt(i); i < lf && (isInnerBlank(c) || c === 13); c = text.charCodeAt(++i));
  out.indentEnd = i;
  if (i < lf && text.charCodeAt(i) === 91 /* [ */) {
    out.scopeStart = i;
    return;
  }
  const bounds = out.wordBounds;
  let words = 0;
  while (i < lf) {
    const c = text.charCodeAt(i);
    if (endsWord(c)) break;
    const wordStart = i;
    i = wordEnd(text, i);
    bounds[2 * words] = wordStart;
    bounds[2 * words + 1] = i;
    words++;
    const b = text.charCodeAt(i);
    if (i < lf && isInnerBlank(b)) {
      // A blank: a gap if a piece follows it, the trailing blank otherwise (a CR after a blank is blank).
      const blankStart = i;
      for (let c2 = text.charCodeAt(++i); i < lf && (isInnerBlank(c2) || c2 === 13); c2 = text.charCodeAt(++i));
      if (i >= lf || endsWord(text.charCodeAt(i))) {
        out.trailingStart = blankStart;
        break;
      }
    }
  }
  out.wordCount = words;
  if (i < lf) {
    const c = text.charCodeAt(i);
    out.tailStart = i;
    out.tailKind = c === 35 ? 'comment' : c === 13 ? 'cr' : 'nul';
  }
}

/** End of the word starting at `i` (its pieces run until a blank, CR, LF, NUL, `#` or the end). */
function wordEnd(text: string, i: number): number {
  for (;;) {
    if (endsWord(text.charCodeAt(i))) return i;
    i = pieceEnd(text, i).end;
  }
}

const piece = { end: 0, kind: 'bare' as PieceKind };

/** The piece starting at `i` (which starts a piece). Returns a shared object: copy it. */
export function pieceEnd(text: string, i: number): { end: number; kind: PieceKind } {
  const c = text.charCodeAt(i);
  if (c === 34 /* " */) {
    const scan = scanDoubleQuoted(text, i);
    piece.end = scan.end;
    piece.kind = scan.closed ? 'double-quoted' : 'unclosed-double-quoted';
    return piece;
  }
  if (c === 39 /* ' */) {
    let j = i + 1;
    for (let d = text.charCodeAt(j); j < text.length && d !== 39 && d !== 13 && d !== 10 && d !== 0; d = text.charCodeAt(++j));
    const closed = j < text.length && text.charCodeAt(j) === 39;
    piece.end = closed ? j + 1 : j;
    piece.kind = closed ? 'single-quoted' : 'unclosed-single-quoted';
    return piece;
  }
  if (c === 92 /* \ */) {
    const next = text.charCodeAt(i + 1);
    if (next === 120 /* x */) {
      let j = i + 2;
      if (isHexCode(text.charCodeAt(j))) j++;
      if (isHexCode(text.charCodeAt(j))) j++;
      piece.end = j;
      piece.kind = 'escape';
      return piece;
    }
    if (isEscapedChar(next)) {
      piece.end = i + 2;
      piece.kind = 'escape';
      return piece;
    }
  }
  // Bare text: anything but blanks, CR, LF, NUL, quotes, `#`, and backslashes that start an escape.
  let j = i;
  for (;;) {
    const d = text.charCodeAt(j);
    if (endsWord(d) || d === 34 || d === 39) break;
    if (d === 92) {
      const next = text.charCodeAt(j + 1);
      if (next === 120 || isEscapedChar(next)) break;
    }
    j++;
  }
  piece.end = j;
  piece.kind = 'bare';
  return piece;
}

/** Whether the word `text[start..end)` is one bare piece (nothing to cook: its value is itself). */
export function isSingleBarePiece(text: string, start: number, end: number): boolean {
  const c = text.charCodeAt(start);
  if (c === 34 || c === 39) return false;
  if (c === 92) {
    const next = text.charCodeAt(start + 1);
    if (next === 120 || isEscapedChar(next)) return false;
  }
  return pieceEnd(text, start).end === end;
}

/** The pieces of the word `text[start..end)`: calls `visit` for each, in order. */
export function scanPieces(text: string, start: number, end: number, visit: (kind: PieceKind, from: number, to: number) => void): void {
  let i = start;
  while (i < end) {
    const { end: to, kind } = pieceEnd(text, i);
    visit(kind, i, to);
    i = to;
  }
}
