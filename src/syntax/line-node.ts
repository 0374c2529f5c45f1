/**
 * Lines and comments whose spans are computed on first read, like words (lazy-word.ts): a line
 * keeps its start and end offsets, and `span` builds the Position objects when someone asks
 * (diagnostics, the formatter). The offsets live in #private fields, which are not properties:
 * Object.keys, JSON and deep equality see the same fields as on a plain Line.
 */
import type { Comment, Line, LineKind, Span, Word } from './ast.js';
import { positionIn, type LineOrigin } from './lazy-word.js';

export class LineNode implements Line {
  kind: LineKind = 'blank';
  number: number;
  indent: string;
  words: Word[];
  gaps: string[];
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

  constructor(number: number, start: number, end: number, indent: string, words: Word[], gaps: string[], trailing: string, eol: string) {
    this.number = number;
    this.#start = start;
    this.#end = end;
    this.indent = indent;
    this.words = words;
    this.gaps = gaps;
    this.trailing = trailing;
    this.eol = eol;
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

  /** Plain data for JSON (the span getter is not an own property). */
  toJSON(): Line {
    return { ...this, span: this.span };
  }
}

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
