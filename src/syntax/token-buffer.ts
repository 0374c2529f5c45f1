/**
 * HAProxy 2.6's per-file tokenizer buffer. It starts empty and grows (to a multiple of 1 KiB)
 * when a line's output does not fit; the line is then tokenized a second time, and on that
 * second pass a `${NAME-default}` whose default was cut in place reads as an unmatched brace.
 * This module only says when a line makes the buffer grow.
 */
import type { Line } from './ast.js';
import { endOffsetOf, isCompact, startOffsetOf } from './line-shape.js';

export class TokenBuffer {
  /** The buffer size so far. */
  private size = 0;
  /** Offset of the next `$` in the text (-1: not searched yet). */
  private nextDollar = -1;

  constructor(private readonly text: string) {}

  /** Cheap bound: output longer than the buffer needs expansions or a line longer than a third of it. */
  mayOutgrow(line: Line): boolean {
    const start = startOffsetOf(line);
    const end = endOffsetOf(line);
    if ((end - start) * 3 >= this.size) return true;
    if (this.nextDollar !== Infinity && this.nextDollar < start) {
      const found = this.text.indexOf('$', start);
      this.nextDollar = found < 0 ? Infinity : found; // lines come in order: each byte is searched once
    }
    return this.nextDollar < end;
  }

  /** True when this line (its cooked words) makes the buffer grow; the buffer is then grown. */
  grows(line: Line): boolean {
    let needed = 1; // the final NUL
    // A compact line's argv is its words' values, one each (line-shape.ts); reading its words would build them.
    const compact = isCompact(line);
    if (compact) for (const v of line.args!) needed += Buffer.byteLength(v, 'utf8') + 1;
    else for (const word of line.words) for (const v of word.values ?? []) needed += Buffer.byteLength(v, 'utf8') + 1;
    if ((compact || line.words.length > 0) && line.trailing.length === 0) needed -= 1; // the last word's NUL is the final one
    if (needed <= this.size) return false;
    this.size = Math.ceil(needed / 1024) * 1024;
    return true;
  }
}
