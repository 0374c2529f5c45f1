/**
 * Words whose span and fragments are computed on first read. A large file has hundreds of
 * thousands of words and most spans and fragments are never looked at (they serve diagnostics
 * and the formatter), so a word keeps offsets only: about a third of the memory and GC work of
 * eager Span/Position/Fragment objects. Reads give the same values as before, and the objects are
 * cached, so `word.span === word.span`.
 */
import { scanPieces } from '../../grammar/line-scan.js';
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

type Cooked = string | string[] | undefined;
interface Located {
  span: Span;
  fragments: Fragment[] | undefined;
  cooked: Cooked;
}
function isLocated(state: Cooked | Located): state is Located {
  return typeof state === 'object' && !Array.isArray(state);
}


/**
 * The value of a word that is one piece with nothing to resolve (bare text, '...', or "..."
 * without `\` or `$`): most words. Undefined when the word needs the cooker.
 */
export function simpleValueOf(raw: string): string | undefined {
  // Words hold no blank, `#`, CR, LF or NUL: without quotes or backslashes a word is one bare piece.
  let plain = true;
  for (let i = 0; i < raw.length && plain; i++) {
    const c = raw.charCodeAt(i);
    plain = c !== 34 && c !== 39 && c !== 92;
  }
  if (plain) return raw;
  // One quoted piece with nothing to resolve inside ('...', or "..." without \ or $); anything else goes to the cooker.
  const quote = raw.charCodeAt(0);
  const last = raw.length - 1;
  if ((quote !== 39 && quote !== 34) || last < 1 || raw.charCodeAt(last) !== quote) return undefined;
  for (let i = 1; i < last; i++) {
    const c = raw.charCodeAt(i);
    if (c === quote || (quote === 34 && (c === 92 || c === 36))) return undefined;
  }
  return raw.slice(1, -1);
}

export class LazyWord implements Word {
  raw: string;
  private readonly origin: LineOrigin;
  private readonly start: number;
  /**
   * One field for what is known beyond the offsets (every field costs 8 bytes on each of the
   * hundreds of thousands of words of a large file):
   * - the cooked values, a lone string being the value of a word that needed no cooking (see
   *   simpleValue), turned into the `values` array on first read;
   * - once the span is read, a Located record holding the span, the fragments and the values.
   */
  private state: Cooked | Located = undefined;

  constructor(raw: string, origin: LineOrigin, start: number) {
    this.raw = raw;
    this.origin = origin;
    this.start = start;
  }

  get values(): string[] | undefined {
    const state = this.state;
    if (state === undefined || Array.isArray(state)) return state;
    if (typeof state === 'string') return (this.state = [state]);
    if (typeof state.cooked === 'string') state.cooked = [state.cooked];
    return state.cooked;
  }
  set values(values: string[] | undefined) {
    this.setCooked(values);
  }

  /** What cooking gave so far: a lone string for a word that needed none, or undefined. */
  cookedSoFar(): Cooked {
    const state = this.state;
    return isLocated(state) ? state.cooked : state;
  }

  /** The same word, not cooked yet (for a reader with another env). */
  uncooked(): LazyWord {
    return new LazyWord(this.raw, this.origin, this.start);
  }

  /** Records the value of a word that needs no cooking without allocating its `values` array yet. */
  setSimpleValue(value: string): void {
    this.setCooked(value);
  }

  private setCooked(cooked: Cooked): void {
    const state = this.state;
    if (isLocated(state)) state.cooked = cooked;
    else this.state = cooked;
  }

  get span(): Span {
    const state = this.state;
    if (isLocated(state)) return state.span;
    const located: Located = { span: this.freshSpan(), fragments: undefined, cooked: state };
    this.state = located;
    return located.span;
  }

  private freshSpan(): Span {
    return { start: positionIn(this.origin, this.start), end: positionIn(this.origin, this.start + this.raw.length) };
  }

  get fragments(): Fragment[] {
    const span = this.span;
    const located = this.state as Located;
    return (located.fragments ??= this.computeFragments(span));
  }

  /**
   * The value of a word that is one piece with nothing to resolve (bare text, '...', or "..."
   * without `\` or `$`): most words. Undefined when the word needs the cooker.
   */
  simpleValue(): string | undefined {
    return simpleValueOf(this.raw);
  }

  /** The fragments, without keeping them (cooking reads them once; most are never read again). */
  fragmentsForCooking(): Fragment[] {
    const state = this.state;
    return isLocated(state) ? (state.fragments ?? this.computeFragments(state.span)) : this.computeFragments(this.freshSpan());
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
