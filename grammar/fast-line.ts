/**
 * A small scanner beside the Chevrotain grammar for the lines that are easy to cut: no CR, no NUL,
 * no unclosed quote, not a `[scope` line. It makes the same cuts as the lexer (grammar/lexer.ts),
 * which stays the definition: every other line goes through Chevrotain, and
 * test/syntax/fast-path.test.ts checks on the corpus and on random lines that both cut alike.
 * Most lines of a real configuration are easy, so most files never build the Chevrotain lexer or
 * parser at all.
 */
import type { LineScan, PieceKind } from './line-scan.js';
import { scanDoubleQuoted } from './quoted.js';

/** Blanks between words: HAProxy's isspace() minus LF and CR (a line with a CR is not easy). */
function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12;
}

/** Characters after a backslash that make it an escape (the lexer's Escape token); any other backslash is plain text. */
function isEscapeLetter(c: number): boolean {
  return c === 92 || c === 32 || c === 35 || c === 39 || c === 34 || c === 116 || c === 110 || c === 114 || c === 120;
}

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** End of an escape starting with the backslash at `i` (`\x` takes up to two hex digits). */
function escapeEnd(text: string, i: number, end: number): number {
  if (text.charCodeAt(i + 1) !== 120) return i + 2;
  let j = i + 2;
  if (j < end && isHexDigit(text.charCodeAt(j))) j++;
  if (j < end && isHexDigit(text.charCodeAt(j))) j++;
  return j;
}

/** End of bare text starting at `i` (the lexer's BareText): stops at blanks, quotes, `#` and a backslash that starts an escape. */
function bareEnd(text: string, i: number, end: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 92) {
      if (i + 1 < end && isEscapeLetter(text.charCodeAt(i + 1))) break;
    } else if (isBlank(c) || c === 34 || c === 39 || c === 35 || c === 13 || c === 0) {
      break; // (a CR or NUL stops it too: the line is then not easy)
    }
    i++;
  }
  return i;
}

/** The end of a closed single-quoted piece at `i`, or -1 when it is not closed before `end`. */
function singleQuotedEnd(text: string, i: number, end: number): number {
  for (let j = i + 1; j < end; j++) {
    const c = text.charCodeAt(j);
    if (c === 39) return j + 1;
    if (c === 13 || c === 0) return -1; // not easy
  }
  return -1;
}

function holdsCrOrNul(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 || c === 0) return true;
  }
  return false;
}

/**
 * Cuts the line `text[start..lf)` (`lf`: offset of its LF, or the text length) into `out`, as
 * grammar/line-scan.ts reads a CST line. Returns false, with `out` in any state, when the line is
 * not easy: the grammar reads it then.
 */
export function scanEasyLine(text: string, start: number, lf: number, out: LineScan): boolean {
  // CR and NUL end a line early in ways that depend on what precedes them: the grammar's job.
  // Every branch below declines a line on meeting one (quoted scans stop at them unclosed).
  out.start = start;
  out.scopeStart = -1;
  out.wordCount = 0;
  out.trailingStart = -1;
  out.tailStart = -1;
  out.tailKind = undefined;
  out.contentEnd = lf;
  out.end = lf < text.length ? lf + 1 : lf;

  let i = start;
  while (i < lf && isBlank(text.charCodeAt(i))) i++;
  out.indentEnd = i;
  if (i < lf && text.charCodeAt(i) === 91 /* [ */) return false; // a scope line
  const bounds = out.wordBounds;
  let inWord = false;
  while (i < lf) {
    const c = text.charCodeAt(i);
    if (c === 13 || c === 0) return false;
    if (isBlank(c)) {
      const blankStart = i;
      while (i < lf && isBlank(text.charCodeAt(i))) i++;
      inWord = false;
      out.trailingStart = blankStart; // the last blank of the line, if nothing follows it
      continue;
    }
    if (c === 35 /* # */) {
      if (holdsCrOrNul(text, i, lf)) return false; // the grammar reads such comments alike; left to it all the same
      out.tailStart = i;
      out.tailKind = 'comment';
      break;
    }
    let next: number;
    if (c === 34 /* " */) {
      const scan = scanDoubleQuoted(text, i);
      if (!scan.closed || scan.end > lf) return false;
      next = scan.end;
    } else if (c === 39 /* ' */) {
      next = singleQuotedEnd(text, i, lf);
      if (next < 0) return false;
    } else if (c === 92 /* \ */ && i + 1 < lf && isEscapeLetter(text.charCodeAt(i + 1))) {
      next = escapeEnd(text, i, lf);
    } else {
      next = bareEnd(text, i + 1, lf);
    }
    if (!inWord) {
      bounds[2 * out.wordCount] = i;
      out.wordCount++;
      inWord = true;
    }
    bounds[2 * out.wordCount - 1] = next;
    out.trailingStart = -1;
    i = next;
  }
  return true;
}

/**
 * The pieces of the word `text[start..end)` as the lexer cuts them, or false (nothing visited)
 * when the word holds something only the grammar may cut (an unclosed quote, CR, NUL, LF).
 */
export function scanEasyPieces(text: string, start: number, end: number, visit: (kind: PieceKind, from: number, to: number) => void): boolean {
  // The pieces are collected first: nothing is visited unless the whole word is easy.
  const cuts: Array<PieceKind | number> = [];
  // A word is cut on its own, as grammar/line-scan.ts's word lexer does: quotes are searched up to the word's end.
  const word = text.slice(start, end);
  const n = word.length;
  if (holdsCrOrNul(word, 0, n) || word.includes('\n')) return false;
  let i = 0;
  while (i < n) {
    const c = word.charCodeAt(i);
    let next: number;
    let kind: PieceKind;
    if (c === 34) {
      const scan = scanDoubleQuoted(word, i);
      if (!scan.closed) return false;
      next = scan.end;
      kind = 'double-quoted';
    } else if (c === 39) {
      next = singleQuotedEnd(word, i, n);
      if (next < 0) return false;
      kind = 'single-quoted';
    } else if (c === 92 && i + 1 < n && isEscapeLetter(word.charCodeAt(i + 1))) {
      next = escapeEnd(word, i, n);
      kind = 'escape';
    } else if (isBlank(c) || c === 35) {
      return false; // not a word the line scan made
    } else {
      next = bareEnd(word, i + 1, n);
      kind = 'bare';
    }
    cuts.push(kind, i, next);
    i = next;
  }
  for (let k = 0; k < cuts.length; k += 3) visit(cuts[k] as PieceKind, start + (cuts[k + 1] as number), start + (cuts[k + 2] as number));
  return true;
}
