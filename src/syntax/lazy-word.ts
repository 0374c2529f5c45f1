/**
 * Words whose span and fragments are computed on first read. A large file has hundreds of
 * thousands of words and most spans and fragments are never looked at (they serve diagnostics
 * and the formatter), so a word keeps offsets only: about a third of the memory and GC work of
 * eager Span/Position/Fragment objects. Reads give the same values as before, and the objects are
 * cached, so `word.span === word.span`.
 */
import { pieceEnd, scanPieces } from '../../grammar/scanner.js';
import type { Fragment, Position, Span, Word } from './ast.js';

/** Where a physical line sits in its file: shared by the line's words. */
export interface LineOrigin {
  text: string;
  /** 1-based line number. */
  number: number;
  /** Offset of the line's first character. */
  start: number;
}

export function positionIn(origin: LineOrigin, offset: number): Position {
  return { offset, line: origin.number, column: offset - origin.start + 1 };
}

export class LazyWord implements Word {
  raw: string;
  private readonly origin: LineOrigin;
  private readonly start: number;
  /**
   * The cooked values; a lone string is the value of a word that needs no cooking (see
   * simpleValue), turned into the `values` array on first read. One field, not two: large files
   * have hundreds of thousands of words, and every field costs 8 bytes on each.
   */
  private cooked: string | string[] | undefined = undefined;
  /** Span and fragments once read (one field for both, for the same reason). */
  private located: { span: Span; fragments?: Fragment[] } | undefined = undefined;

  constructor(raw: string, origin: LineOrigin, start: number) {
    this.raw = raw;
    this.origin = origin;
    this.start = start;
  }

  get values(): string[] | undefined {
    if (typeof this.cooked === 'string') this.cooked = [this.cooked];
    return this.cooked;
  }
  set values(values: string[] | undefined) {
    this.cooked = values;
  }

  /** What cooking gave so far: a lone string for a word that needed none, or undefined. */
  cookedSoFar(): string | string[] | undefined {
    return this.cooked;
  }

  /** The same word, not cooked yet (for a reader with another env). */
  uncooked(): LazyWord {
    return new LazyWord(this.raw, this.origin, this.start);
  }

  /** Records the value of a word that needs no cooking without allocating its `values` array yet. */
  setSimpleValue(value: string): void {
    this.cooked = value;
  }

  get span(): Span {
    return (this.located ??= { span: this.freshSpan() }).span;
  }

  private freshSpan(): Span {
    return { start: positionIn(this.origin, this.start), end: positionIn(this.origin, this.start + this.raw.length) };
  }

  get fragments(): Fragment[] {
    const span = this.span;
    return (this.located!.fragments ??= this.computeFragments(span));
  }

  /**
   * The value of a word that is one piece with nothing to resolve (bare text, '...', or "..."
   * without `\` or `$`): most words. Undefined when the word needs the cooker.
   */
  simpleValue(): string | undefined {
    const { text } = this.origin;
    const end = this.start + this.raw.length;
    const piece = pieceEnd(text, this.start);
    if (piece.end !== end) return undefined;
    if (piece.kind === 'bare') return this.raw;
    if (piece.kind === 'single-quoted') return this.raw.slice(1, -1);
    if (piece.kind === 'double-quoted' && !/[\\$]/.test(this.raw)) return this.raw.slice(1, -1);
    return undefined;
  }

  /** The fragments, without keeping them (cooking reads them once; most are never read again). */
  fragmentsForCooking(): Fragment[] {
    return this.located?.fragments ?? this.computeFragments(this.located?.span ?? this.freshSpan());
  }

  private computeFragments(span: Span): Fragment[] {
    const fragments: Fragment[] = [];
    const { origin } = this;
    // Adjacent fragments share their boundary Position (never mutated), as the word span does.
    let at = span.start;
    const end = span.end;
    scanPieces(origin.text, this.start, this.start + this.raw.length, (kind, from, to) => {
      const next = to === end.offset ? end : positionIn(origin, to);
      fragments.push({ kind, raw: origin.text.slice(from, to), span: { start: at, end: next } });
      at = next;
    });
    return fragments;
  }

  /** Plain data for JSON and debugging (getters are not own properties). */
  toJSON(): Word {
    return { raw: this.raw, span: this.span, fragments: this.fragments, ...(this.values ? { values: this.values } : {}) };
  }
}
