/**
 * Line shapes: the lexical shape of one physical line (indent, words, gaps, trailing blanks,
 * comment, CR or NUL tail), from the CST scan of grammar/line-scan.ts, before any meaning is
 * given to it.
 */
import { scanPieces, type LineScan } from '../../grammar/line-scan.js';
import type { Fragment, Line, Word } from './ast.js';
import { cookWord, type Env } from './cook.js';
import { LazyWord, positionIn, simpleValueOf, type LineOrigin } from './lazy-word.js';
import { CommentNode, LineNode } from './line-node.js';
import { ALL_SECTION_KEYWORDS } from './sections.js';

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
  addTails(text, scan, origin, line);
  return line;
}

function addTails(text: string, scan: LineScan, origin: LineOrigin, line: LineNode): void {
  if (scan.scopeStart >= 0) line.scope = text.slice(scan.scopeStart, scan.contentEnd);
  if (scan.tailStart >= 0) {
    const tail = text.slice(scan.tailStart, scan.contentEnd);
    if (scan.tailKind === 'comment') line.comment = new CommentNode(tail, origin, scan.tailStart);
    else if (scan.tailKind === 'cr') line.crTail = tail;
    else line.nulTail = tail;
  }
}

/** A word without quotes or backslashes: its value is its text. */
function isPlain(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 39 || c === 92) return false;
  }
  return true;
}

/**
 * `text.slice(from, to)`, as one string per distinct short word where it can (keywords, `check`,
 * `inter`, ports...: most repeat): a small direct-mapped cache, looked up without cutting the
 * word out of the text first, so a repeated word costs neither a new string nor a hash.
 */
const SHARED_MAX_LENGTH = 24;
const SHARED_SLOTS = 4096;
const sharedSlots: Array<string | undefined> = new Array(SHARED_SLOTS);
function sharedSlice(text: string, from: number, to: number): string {
  const length = to - from;
  if (length > SHARED_MAX_LENGTH || length === 0) return text.slice(from, to);
  const slot = (Math.imul(length, 0x9e3779b1) ^ (text.charCodeAt(from) << 7) ^ (text.charCodeAt(from + (length >> 1)) << 3) ^ text.charCodeAt(to - 1)) & (SHARED_SLOTS - 1);
  const known = sharedSlots[slot];
  if (known !== undefined && known.length === length && text.startsWith(known, from)) return known;
  const fresh = text.slice(from, to);
  sharedSlots[slot] = fresh;
  return fresh;
}

/** HAProxy's limit on words (and the slot a trailing blank opens): more is a finding of the cooker's. */
const MAX_WORDS = 64;

/**
 * A compact line (line-node.ts) for a line whose words need no cooking and say nothing to the
 * reader but their text: an easy line of words without `$`, one value each, that is not a
 * directive, a section header or a `no`/`default` line, within the word limit. It keeps its argv
 * and offsets; its words and gaps are cut again from the text when someone reads them. Undefined
 * for other lines.
 */
export function compactLineShape(text: string, scan: LineScan, number: number, encoding: 'utf8' | 'latin1' | undefined): Line | undefined {
  const count = scan.wordCount;
  if (!scan.easy || count === 0 || count + (scan.trailingStart >= 0 ? 1 : 0) > MAX_WORDS) return undefined;
  const bounds = scan.wordBounds;
  const args: string[] = new Array(count);
  for (let k = 0; k < count; k++) {
    const from = bounds[2 * k]!;
    const to = bounds[2 * k + 1]!;
    const value = isPlain(text, from, to) ? sharedSlice(text, from, to) : (simpleValueOf(text.slice(from, to)) ?? cookedWithoutEnv(text, from, to, number, scan.start, encoding));
    // An empty value cuts the argv (the cooker's business); no value: a word for the cooker.
    if (value === undefined || value === '') return undefined;
    args[k] = value;
  }
  const first = args[0]!;
  if (first.charCodeAt(0) === 46 /* . */ || first === 'no' || first === 'default' || ALL_SECTION_KEYWORDS.has(first)) return undefined;

  const start = scan.start;
  const contentEnd = scan.tailStart >= 0 ? scan.tailStart : scan.contentEnd;
  const indent = scan.indentEnd > start ? blankText(text, start, scan.indentEnd) : '';
  const trailing = scan.trailingStart >= 0 ? blankText(text, scan.trailingStart, contentEnd) : '';
  const line = new LineNode(number, start, scan.end, indent, undefined, undefined, trailing, scan.end > scan.contentEnd ? '\n' : '');
  line.makeCompact(text);
  line.args = args;
  if (scan.tailStart >= 0) addTails(text, scan, { text, number, start }, line);
  return line;
}

/**
 * The one value of a word without `$` (quotes and escapes only: nothing depends on the env, the
 * file or the line), or undefined when it needs the cooker's full reading (an error, a split).
 */
function cookedWithoutEnv(text: string, from: number, to: number, number: number, lineStart: number, encoding: 'utf8' | 'latin1' | undefined): string | undefined {
  if (text.lastIndexOf('$', to - 1) >= from) return undefined;
  const origin: LineOrigin = { text, number, start: lineStart };
  const fragments: Fragment[] = [];
  scanPieces(text, from, to, (kind, start, end) => fragments.push({ kind, raw: text.slice(start, end), span: { start: positionIn(origin, start), end: positionIn(origin, end) } }));
  const cooked = cookWord(fragments, { env: NO_ENV, file: '', line: number, section: '', encoding });
  return cooked.error === undefined && cooked.values.length === 1 ? cooked.values[0] : undefined;
}
const NO_ENV: Env = Object.freeze({});

/** Whether the line is compact: argv set, words not built (see compactLineShape). */
export function isCompact(line: Line): boolean {
  return line instanceof LineNode && line.compactText !== undefined;
}
