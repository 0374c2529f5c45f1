/**
 * The text of one output line, without its indentation and line end, cut straight from the
 * file's text where it can. Words keep their raw text (never re-quoted); only the blanks between
 * them change, so HAProxy's tokenizer yields the same words before and after (spec format.md
 * "Promises").
 */
import { scanEasyLine } from '../../grammar/fast-line.js';
import type { LineScan } from '../../grammar/line-scan.js';
import type { Line, Word } from '../syntax/index.js';
import { isCompact } from '../syntax/line-shape.js';

/** Blanks HAProxy ignores at a line end, CR included (a CR there is only a CRLF's half). */
const TRAILING_BLANKS = /[ \t\v\f\r]+$/;
const BACKSLASH = 92;
const CR = 13;

/**
 * A bare backslash at the end of a word escapes nothing: HAProxy keeps it and the blank after it
 * separates words (`a\<TAB>b` is `a\`, `b`). Written `a\ b` it would become the escape `\ ` and
 * glue the words, so such a word keeps its original separator (a TAB, VT or FF, never a space).
 * The word's fragments are read only when its text ends with a backslash (`\\` is an escape).
 */
function endsWithLoneBackslash(word: Word): boolean {
  const raw = word.raw;
  if (raw.charCodeAt(raw.length - 1) !== BACKSLASH) return false;
  const last = word.fragments[word.fragments.length - 1];
  return last !== undefined && last.kind === 'bare' && last.raw.endsWith('\\');
}

/** A single space, unless the word ends with a lone backslash (a space after it would be `\ `). */
function separatorAfter(word: Word, original: string): string {
  if (original === ' ' || original === '') return ' ';
  return endsWithLoneBackslash(word) ? original[0]! : ' ';
}

/** A comment's text as printed: trailing blanks (and CRs) carry nothing and go. */
export function commentText(raw: string): string {
  return raw.replace(TRAILING_BLANKS, '');
}

/**
 * What follows a CR that ends a line early. HAProxy never reads it, but it may be text a human
 * wrote (a file saved with old Mac line ends), so it is kept verbatim; a tail that holds only
 * CRs and blanks (the CR of a CRLF line end, mostly) carries nothing and is dropped, which keeps
 * formatting idempotent whatever the output line ends are.
 */
export function keptCarriageReturnTail(crTail: string | undefined): string {
  if (crTail === undefined) return '';
  const trimmed = crTail.replace(TRAILING_BLANKS, '');
  return /^[\r \t\v\f]*$/.test(trimmed) ? '' : trimmed;
}

/**
 * The words and the blanks between them, one space each. A line whose words are already one
 * space apart (most lines of a formatted file) is one slice of the text; other lines are joined
 * from their words, with the original blank kept after a lone backslash.
 */
function wordsText(line: Line, text: string, from: number, to: number): string {
  const gaps = line.gaps;
  let spaced = true;
  for (let i = 0; i < gaps.length && spaced; i++) spaced = gaps[i] === ' ';
  if (spaced) return text.slice(from, to);
  const words = line.words;
  const raws = new Array<string>(words.length);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (i < gaps.length && separatorAfter(word, gaps[i]!) !== ' ') return joinedOneByOne(words, gaps);
    raws[i] = word.raw;
  }
  return raws.join(' ');
}

/** Words with the separator each one needs (rare: a lone backslash before a TAB, VT or FF). */
function joinedOneByOne(words: readonly Word[], gaps: readonly string[]): string {
  let out = words[0]!.raw;
  for (let i = 1; i < words.length; i++) out += separatorAfter(words[i - 1]!, gaps[i - 1]!) + words[i]!.raw;
  return out;
}

/** Scratch record for cutting compact lines again (one at a time). */
const COMPACT_SCAN: LineScan = { start: 0, indentEnd: 0, scopeStart: -1, wordBounds: [], wordCount: 0, trailingStart: -1, tailStart: -1, tailKind: undefined, contentEnd: 0, end: 0, easy: true };

/**
 * The words of a compact line (see syntax/line-shape.ts), one space apart, cut again from the
 * text by the easy-line scanner instead of building the line's word objects, which would then
 * live as long as the AST (most lines of a large file are compact). Undefined when a word ends
 * with a backslash (its separator needs the word's fragments) or the line is not cut as expected.
 */
function compactWordsText(text: string, start: number, end: number): string | undefined {
  const scan = COMPACT_SCAN;
  if (!scanEasyLine(text, start, end, scan) || scan.wordCount === 0) return undefined;
  const bounds = scan.wordBounds;
  let spaced = true;
  for (let k = 0; k < scan.wordCount; k++) {
    if (text.charCodeAt(bounds[2 * k + 1]! - 1) === BACKSLASH) return undefined;
    if (k > 0 && spaced) spaced = bounds[2 * k]! - bounds[2 * k - 1]! === 1 && text.charCodeAt(bounds[2 * k - 1]!) === 32;
  }
  if (spaced) return text.slice(bounds[0]!, bounds[2 * scan.wordCount - 1]!);
  let out = text.slice(bounds[0]!, bounds[1]!);
  for (let k = 1; k < scan.wordCount; k++) out += ' ' + text.slice(bounds[2 * k]!, bounds[2 * k + 1]!);
  return out;
}

/**
 * The canonical text of a line (statement, section, directive or comment), indentation excluded.
 * The line is `text` from `start` (its first character) to `end` (its LF, or the text's end).
 */
export function canonicalLineText(line: Line, text: string, start: number, end: number): string {
  const comment = line.comment;
  // The line is indent, words, trailing blanks, then at most one tail (comment, CR or NUL part).
  const tailLength = (comment?.raw.length ?? 0) + (line.crTail?.length ?? 0) + (line.nulTail?.length ?? 0);
  const wordsStart = start + line.indent.length;
  const wordsEnd = end - tailLength - line.trailing.length;
  const compact = isCompact(line) ? compactWordsText(text, start, end) : undefined;
  if (compact !== undefined) {
    // No word ends with a backslash: the comment is one space after the last word.
    const out = comment ? compact + ' ' + commentText(comment.raw) : compact;
    return line.crTail === undefined ? out : out + keptCarriageReturnTail(line.crTail);
  }
  const wordCount = line.words.length;
  let out = wordCount === 0 ? '' : wordsText(line, text, wordsStart, wordsEnd);
  if (comment) {
    const printed = commentText(comment.raw);
    out = wordCount === 0 ? printed : out + separatorAfter(line.words[wordCount - 1]!, line.trailing) + printed;
  }
  // The tail is glued to the last word: a blank before a CR would turn the tail into words.
  return line.crTail === undefined ? out : out + keptCarriageReturnTail(line.crTail);
}

/**
 * A line kept as written (prettier-ignore, hpm-fmt: off, scope lines): everything but its line
 * end. Trailing CRs go (they are the CRLF's CR, or nothing HAProxy reads) so that the output's
 * line ends stay Prettier's `endOfLine` and a second pass changes nothing.
 */
export function verbatimLineText(text: string, start: number, end: number): string {
  while (end > start && text.charCodeAt(end - 1) === CR) end--;
  return text.slice(start, end);
}
