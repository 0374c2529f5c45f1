/**
 * Lines and comments whose spans are computed on first read, like words (lazy-word.ts): a line
 * keeps its start and end offsets, and `span` builds the Position objects when someone asks
 * (diagnostics, the formatter). The offsets live in #private fields, which are not properties:
 * Object.keys, JSON and deep equality see the same fields as on a plain Line.
 */
import { scanEasyLine } from '../../grammar/fast-line.js';
import type { LineScan } from '../../grammar/line-scan.js';
import type { Comment, Line, LineKind, Span, Word } from './ast.js';
import { LazyWord, positionIn, type LineOrigin } from './lazy-word.js';

export class LineNode implements Line {
  kind: LineKind = 'blank';
  number: number;
  indent: string;
  trailing: string;
  eol: string;
  active = true;
  conditionDepth = 0;
  hpmRunGuarded = false;
  declare comment?: Comment;
  declare crTail?: string;
  declare nulTail?: string;
  declare scope?: string;
  declare args?: string[];
  declare emptyWordIndex?: number;
  declare modifier?: 'no' | 'default';
  declare keyword?: string;
  declare sectionIndex?: number;
  declare structuralSectionIndex?: number;
  readonly #start: number;
  readonly #end: number;
  #span: Span | undefined = undefined;
  #words: Word[] | undefined;
  #gaps: string[] | undefined;
  /** The file's text, for a compact line (words and gaps not built yet): see line-shape.ts compactLineShape. */
  #text: string | undefined = undefined;

  constructor(number: number, start: number, end: number, indent: string, words: Word[] | undefined, gaps: string[] | undefined, trailing: string, eol: string) {
    this.number = number;
    this.#start = start;
    this.#end = end;
    this.indent = indent;
    this.#words = words;
    this.#gaps = gaps;
    this.trailing = trailing;
    this.eol = eol;
  }

  /** The words as written; a compact line builds them on first read. */
  get words(): Word[] {
    if (this.#words === undefined) this.#expand();
    return this.#words!;
  }
  set words(words: Word[]) {
    this.#words = words;
  }

  /** The blanks between words; a compact line builds them on first read. */
  get gaps(): string[] {
    if (this.#gaps === undefined) this.#expand();
    return this.#gaps!;
  }
  set gaps(gaps: string[]) {
    this.#gaps = gaps;
  }

  /** The text of a compact line whose words are not built yet, else undefined. */
  get compactText(): string | undefined {
    return this.#words === undefined ? this.#text : undefined;
  }

  /** Makes this a compact line of `text`: words and gaps are cut again from the text when read. */
  makeCompact(text: string): void {
    this.#text = text;
    this.#words = undefined;
    this.#gaps = undefined;
  }

  #expand(): void {
    const text = this.#text!;
    const scan = EXPAND_SCAN;
    scanEasyLine(text, this.#start, this.eol === '' ? this.#end : this.#end - 1, scan);
    const origin: LineOrigin = { text, number: this.number, start: this.#start };
    const words: Word[] = new Array(scan.wordCount);
    const gaps: string[] = new Array(Math.max(0, scan.wordCount - 1));
    for (let k = 0; k < scan.wordCount; k++) {
      const from = scan.wordBounds[2 * k]!;
      const raw = text.slice(from, scan.wordBounds[2 * k + 1]!);
      const word = new LazyWord(raw, origin, from);
      word.setSimpleValue(this.args![k]!); // a compact line's word k has one value, args[k] (line-shape.ts compactLineShape)
      words[k] = word;
      if (k > 0) gaps[k - 1] = text.slice(scan.wordBounds[2 * k - 1]!, from);
    }
    this.#words = words;
    this.#gaps = gaps;
  }

  /** Offset of the line's first character. */
  get startOffset(): number {
    return this.#start;
  }
  /** Offset after the line, its LF included. */
  get endOffset(): number {
    return this.#end;
  }

  get span(): Span {
    const number = this.number;
    return (this.#span ??= {
      start: { offset: this.#start, line: number, column: 1 },
      end: { offset: this.#end, line: number, column: this.#end - this.#start + 1 },
    });
  }
  set span(span: Span) {
    this.#span = span;
  }

  /** Plain data for JSON (span, words and gaps are getters, not own properties). */
  toJSON(): Line {
    return { ...this, words: this.words, gaps: this.gaps, span: this.span };
  }
}

/** Scratch record for expanding compact lines (one at a time). */
const EXPAND_SCAN: LineScan = { start: 0, indentEnd: 0, scopeStart: -1, wordBounds: [], wordCount: 0, trailingStart: -1, tailStart: -1, tailKind: undefined, contentEnd: 0, end: 0, easy: true };

/** A comment whose span is computed on first read. */
export class CommentNode implements Comment {
  raw: string;
  readonly #origin: LineOrigin;
  readonly #start: number;
  #span: Span | undefined = undefined;

  constructor(raw: string, origin: LineOrigin, start: number) {
    this.raw = raw;
    this.#origin = origin;
    this.#start = start;
  }

  get span(): Span {
    return (this.#span ??= { start: positionIn(this.#origin, this.#start), end: positionIn(this.#origin, this.#start + this.raw.length) });
  }
  set span(span: Span) {
    this.#span = span;
  }

  toJSON(): Comment {
    return { raw: this.raw, span: this.span };
  }
}
