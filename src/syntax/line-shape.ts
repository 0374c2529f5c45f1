/**
 * Line shapes: the lexical shape of one physical line (indent, words, gaps, trailing blanks,
 * comment, CR or NUL tail), from the CST scan of grammar/line-scan.ts, before any meaning is
 * given to it.
 */
import type { LineScan } from '../../grammar/line-scan.js';
import type { Line, Word } from './ast.js';
import { LazyWord, type LineOrigin } from './lazy-word.js';
import { CommentNode, LineNode } from './line-node.js';

/** A cache keeps one string per distinct indent/gap (most repeat). */
const blankStrings = new Map<string, string>();
function blankText(text: string, from: number, to: number): string {
  if (to - from === 1) return text[from]!; // one-character strings are interned by V8 already
  const s = text.slice(from, to);
  if (s.length > 16) return s;
  const known = blankStrings.get(s);
  if (known !== undefined) return known;
  if (blankStrings.size < 256) blankStrings.set(s, s);
  return s;
}

/** Shared by every line without words / gaps (comments, blanks): frozen, nothing may add to them. */
const NO_WORDS = Object.freeze([]) as unknown as Word[];
const NO_GAPS = Object.freeze([]) as unknown as string[];

/** Line offsets without building the line's span (see LineNode). */
export function startOffsetOf(line: Line): number {
  return line instanceof LineNode ? line.startOffset : line.span.start.offset;
}
export function endOffsetOf(line: Line): number {
  return line instanceof LineNode ? line.endOffset : line.span.end.offset;
}

/** The lexical shape of one physical line (scanned into `scan`). */
export function buildLineShape(text: string, scan: LineScan, number: number): Line {
  const lineStartOffset = scan.start;
  const origin: LineOrigin = { text, number, start: lineStartOffset };
  const eol = scan.end > scan.contentEnd ? '\n' : '';
  const words: Word[] = scan.wordCount === 0 ? NO_WORDS : new Array(scan.wordCount);
  const gaps: string[] = scan.wordCount <= 1 ? NO_GAPS : new Array(scan.wordCount - 1);
  const bounds = scan.wordBounds;
  for (let k = 0; k < scan.wordCount; k++) {
    const from = bounds[2 * k]!;
    const to = bounds[2 * k + 1]!;
    words[k] = new LazyWord(text.slice(from, to), origin, from);
    if (k > 0) gaps[k - 1] = blankText(text, bounds[2 * k - 1]!, from);
  }
  const contentEnd = scan.tailStart >= 0 ? scan.tailStart : scan.contentEnd;
  const indent = scan.indentEnd > lineStartOffset ? blankText(text, lineStartOffset, scan.indentEnd) : '';
  const trailing = scan.trailingStart >= 0 ? blankText(text, scan.trailingStart, contentEnd) : '';
  const line = new LineNode(number, lineStartOffset, scan.end, indent, words, gaps, trailing, eol);
  if (scan.scopeStart >= 0) line.scope = text.slice(scan.scopeStart, scan.contentEnd);
  if (scan.tailStart >= 0) {
    const tail = text.slice(scan.tailStart, scan.contentEnd);
    if (scan.tailKind === 'comment') line.comment = new CommentNode(tail, origin, scan.tailStart);
    else if (scan.tailKind === 'cr') line.crTail = tail;
    else line.nulTail = tail;
  }
  return line;
}
