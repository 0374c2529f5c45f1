/**
 * Cooking a line: every word into `word.values` (cook.ts) and the line's HAProxy argv into
 * `line.args`, cut at the first empty word; a tokenizer error or more than 64 words leave
 * `line.args` undefined (HAProxy skips the line).
 */
import type { Line, Position, Section, Span } from './ast.js';
import { cookWord, type Env } from './cook.js';
import { LazyWord } from './lazy-word.js';
import { pointSpan, type ReportFinding } from './report.js';

const MAX_WORDS = 64;

export interface CookLineContext {
  env: Env;
  file: string;
  section: Section | undefined;
  report: ReportFinding;
  /** HAProxy's 1-based byte column of a position. */
  bytePosition: (at: Position) => number;
  encoding: 'utf8' | 'latin1' | undefined;
  /** The argv an earlier reader of the same text got for this line (shape-reuse.ts), to share. */
  previousArgs: string[] | undefined;
}

/** Cooks the line; returns the `{` of its first `${NAME-default}`, if any (see Cooked.defaultBraceAt). */
export function cookLine(line: Line, ctx: CookLineContext): Position | undefined {
  // Sized for one value per word (the usual case), so it can become line.args as it is.
  const values: string[] = new Array(line.words.length);
  let count = 0;
  let firstEmpty: number | undefined;
  let defaultBraceAt: Position | undefined;
  for (let i = 0; i < line.words.length; i++) {
    const word = line.words[i]!;
    // A word shared with an earlier reader of the same text (shape-reuse.ts) is cooked already.
    const known = word instanceof LazyWord ? word.cookedSoFar() : undefined;
    const simple = typeof known === 'string' ? known : known === undefined && word instanceof LazyWord ? word.simpleValue() : undefined;
    if (simple !== undefined) {
      if (known === undefined) (word as LazyWord).setSimpleValue(simple);
      if (simple === '' && firstEmpty === undefined) firstEmpty = i;
      values[count++] = simple;
      continue;
    }
    if (known !== undefined) {
      for (const v of known) {
        if (v === '' && firstEmpty === undefined) firstEmpty = i;
        values[count++] = v;
      }
      continue;
    }
    const cookContext = { env: ctx.env, file: ctx.file, line: line.number, section: ctx.section ? (ctx.section.name ?? ctx.section.keyword) : '', encoding: ctx.encoding };
    const cooked = cookWord(word instanceof LazyWord ? word.fragmentsForCooking() : word.fragments, cookContext);
    if (cooked.error) {
      ctx.report({ code: cooked.error.code, position: ctx.bytePosition(cooked.error.at) }, pointSpan(cooked.error.at));
      return undefined;
    }
    word.values = cooked.values;
    defaultBraceAt ??= cooked.defaultBraceAt;
    for (const v of cooked.values) {
      if (v === '' && firstEmpty === undefined) firstEmpty = i;
      values[count++] = v;
    }
  }
  // HAProxy opens a new word slot at every separator, a trailing blank included, and complains
  // as soon as a slot past the 64th is opened: 64 words plus a trailing blank is one too many.
  const trailingSlot = line.trailing.length > 0 ? 1 : 0;
  if (values.length + trailingSlot > MAX_WORDS) {
    let seen = 0;
    const extra = line.words.find((w) => (seen += w.values?.length ?? 0) > MAX_WORDS);
    const position = values.slice(0, MAX_WORDS - 1).reduce((n, v) => n + Buffer.byteLength(v, 'utf8') + 1, 1);
    ctx.report({ code: 'too-many-words', wordCount: values.length, position, lastKept: values[MAX_WORDS - 1]!, trailingBlank: !extra }, extra ? extra.span : trailingSpan(line));
    return undefined;
  }
  const cut = values.indexOf('');
  const argCount = cut >= 0 ? cut : values.length;
  const previous = ctx.previousArgs;
  line.args = previous !== undefined && sameStrings(previous, values, argCount) ? previous : argCount === values.length ? values : values.slice(0, argCount);
  if (cut >= 0) line.emptyWordIndex = firstEmpty;
  return defaultBraceAt;
}

/** Whether `a` is exactly the first `count` strings of `b`. */
function sameStrings(a: readonly string[], b: readonly string[], count: number): boolean {
  if (a.length !== count) return false;
  for (let i = 0; i < count; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The blanks after the last word of a line. */
function trailingSpan(line: Line): Span {
  const last = line.words[line.words.length - 1]!.span.end;
  return { start: last, end: { offset: last.offset + line.trailing.length, line: last.line, column: last.column + line.trailing.length } };
}
