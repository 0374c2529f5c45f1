/**
 * Cooking: turning a word as written into the value(s) HAProxy's tokenizer produces (spec
 * haproxy.md §1.3-§1.6, as observed with 2.6): escapes, quotes, `$VAR` expansion inside double
 * quotes, `${VAR-default}`, `${VAR[*]}` splitting and the `.FILE/.LINE/.SECTION` pseudo-variables.
 */
import type { Fragment, Position, Span } from './ast.js';
import type { TokenizerFinding } from './findings.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface CookContext {
  env: Env;
  file: string;
  line: number;
  /** The current section's name, or its keyword when it has none (`.SECTION`). */
  section: string;
  /**
   * How the file was decoded. In a latin1 file every character is one byte, so `\xHH` bytes stay
   * one character each (the program gets them back byte for byte); in UTF-8 a run of them that is
   * valid UTF-8 becomes the character it encodes.
   */
  encoding?: 'utf8' | 'latin1';
}

/** A tokenizer error, as a finding code (findings.ts) and the place of HAProxy's caret. */
export interface CookError {
  code: Exclude<TokenizerFinding['code'], 'env-var-default-reread'>;
  /** Where HAProxy puts its caret. */
  at: Position;
}

export interface Cooked {
  values: string[];
  error?: CookError;
  /**
   * The `{` of the first `${NAME-default}` expansion in the word. HAProxy 2.6 cuts such a default
   * in place while tokenizing; if it then has to tokenize the line a second time (its buffer grew)
   * that default reads as an unmatched brace. build.ts decides when that happens.
   */
  defaultBraceAt?: Position;
}

const HEX = /^[0-9A-Fa-f]$/;
const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\', ' ': ' ', '#': '#', "'": "'", '"': '"', t: '\t', n: '\n', r: '\r' };

function isNameStart(c: string): boolean {
  return /^[A-Za-z_]$/.test(c);
}
function isNameChar(c: string): boolean {
  return /^[A-Za-z0-9_]$/.test(c);
}
function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\v' || c === '\f' || c === '\r' || c === '\n';
}

function advance(pos: Position, by: number): Position {
  return { offset: pos.offset + by, line: pos.line, column: pos.column + by };
}

/**
 * Builds the list of values of one word: `current` is the value being built, `done` the values
 * already closed by a `[*]` split. Bytes written with `\xHH` are kept apart until the next
 * character so that a run such as `\xc3\xa9` becomes the character it encodes (what a program
 * receives as UTF-8); a run that is not valid UTF-8 stays one character per byte.
 */
class WordBuilder {
  constructor(private readonly decodeUtf8: boolean) {}
  done: string[] = [];
  /** See Cooked.defaultBraceAt. */
  defaultBraceAt?: Position;
  current = '';
  private bytes: number[] = [];
  append(s: string): void {
    if (this.bytes.length > 0) this.flushBytes();
    this.current += s;
  }
  appendByte(byte: number): void {
    if (byte < 0x80) this.append(String.fromCharCode(byte));
    else this.bytes.push(byte);
  }
  private flushBytes(): void {
    const bytes = Uint8Array.from(this.bytes);
    this.bytes = [];
    if (!this.decodeUtf8) {
      this.current += String.fromCharCode(...bytes);
      return;
    }
    try {
      this.current += utf8.decode(bytes);
    } catch {
      this.current += String.fromCharCode(...bytes);
    }
  }
  /**
   * `[*]` expansion, as HAProxy does it: every run of whitespace in the value ends the current
   * word and starts a new one. So a leading or trailing blank in the value makes an empty word
   * (which ends the argument list), and text glued before or after joins the first and last pieces.
   */
  appendSplit(value: string): void {
    if (this.bytes.length > 0) this.flushBytes();
    let i = 0;
    while (i < value.length) {
      if (isSpace(value[i]!)) {
        this.done.push(this.current);
        this.current = '';
        while (i < value.length && isSpace(value[i]!)) i++;
      } else {
        this.current += value[i++];
      }
    }
  }
  finish(): string[] {
    if (this.bytes.length > 0) this.flushBytes();
    // A NUL byte from `\x00` ends the C string of its word (`a\x00b` gives `a`).
    return [...this.done, this.current].map((v) => {
      const nul = v.indexOf('\0');
      return nul >= 0 ? v.slice(0, nul) : v;
    });
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Cooks the words of a line. Stops at the first word with an error, as HAProxy skips the line. */
export function cookWord(fragments: readonly Fragment[], ctx: CookContext): Cooked {
  // Fast paths for the common one-piece words: nothing to resolve.
  if (fragments.length === 1) {
    const only = fragments[0]!;
    if (only.kind === 'bare') return { values: [only.raw] };
    if (only.kind === 'single-quoted') return { values: [only.raw.slice(1, -1)] };
    if (only.kind === 'double-quoted' && !/[\\$]/.test(only.raw)) return { values: [only.raw.slice(1, -1)] };
  }
  const out = new WordBuilder(ctx.encoding !== 'latin1');
  for (const fragment of fragments) {
    const error = cookFragment(fragment, ctx, out);
    if (error) return { values: [], error };
  }
  const values = out.finish();
  return out.defaultBraceAt ? { values, defaultBraceAt: out.defaultBraceAt } : { values };
}

function cookFragment(fragment: Fragment, ctx: CookContext, out: WordBuilder): CookError | undefined {
  const { raw, span } = fragment;
  switch (fragment.kind) {
    case 'bare':
      out.append(raw);
      return undefined;
    case 'single-quoted':
      out.append(raw.slice(1, -1));
      return undefined;
    case 'unclosed-single-quoted':
      return { code: 'unmatched-quote', at: span.start };
    case 'unclosed-double-quoted':
      // HAProxy only notices the open quote at the end of the line: an error inside comes first.
      return cookDoubleQuoted(raw, raw.length, span, ctx, out) ?? { code: 'unmatched-quote', at: span.start };
    case 'escape':
      return cookEscape(raw, 0, span.start, out).error;
    case 'double-quoted':
      return cookDoubleQuoted(raw, raw.length - 1, span, ctx, out);
  }
}

/**
 * One backslash sequence starting at raw[i] (raw[i] === '\\'). Returns how many characters it
 * used, or an error for a bad `\x`.
 */
function cookEscape(raw: string, i: number, base: Position, out: WordBuilder, inDoubleQuotes = false): { used: number; error?: CookError } {
  const next = raw[i + 1];
  if (next === 'x') {
    const h1 = raw[i + 2];
    const h2 = raw[i + 3];
    if (h1 === undefined || h2 === undefined || !HEX.test(h1) || !HEX.test(h2)) {
      return {
        used: 2,
        error: { code: 'invalid-hex-escape', at: advance(base, i) },
      };
    }
    out.appendByte(parseInt(h1 + h2, 16));
    return { used: 4 };
  }
  if (next !== undefined && next in SIMPLE_ESCAPES) {
    out.append(SIMPLE_ESCAPES[next]!);
    return { used: 2 };
  }
  if (next === '$' && inDoubleQuotes) {
    out.append('$');
    return { used: 2 };
  }
  // Any other backslash is kept as it is; the next character is read normally.
  out.append('\\');
  return { used: 1 };
}

/** The content of a double-quoted piece, from after the opening quote up to `end` (the closing quote or the line end). */
function cookDoubleQuoted(raw: string, end: number, span: Span, ctx: CookContext, out: WordBuilder): CookError | undefined {
  const base = span.start;
  let i = 1;
  while (i < end) {
    const c = raw[i]!;
    if (c === '\\') {
      const r = cookEscape(raw, i, base, out, true);
      if (r.error) return r.error;
      i += r.used;
    } else if (c === '$') {
      const r = expandVariable(raw, i, end, base, ctx, out);
      if (r.error) return r.error;
      i = r.next;
    } else {
      out.append(c);
      i++;
    }
  }
  return undefined;
}

const PSEUDO_VARIABLES = new Set(['.FILE', '.LINE', '.SECTION']);

function lookup(name: string, ctx: CookContext): string | undefined {
  if (name === '.FILE') return ctx.file;
  if (name === '.LINE') return String(ctx.line);
  if (name === '.SECTION') return ctx.section;
  return ctx.env[name];
}

/** `$NAME` or `${...}` starting at raw[i] === '$', inside double quotes. */
function expandVariable(
  raw: string,
  i: number,
  end: number,
  base: Position,
  ctx: CookContext,
  out: WordBuilder,
): { next: number; error?: CookError } {
  const braced = raw[i + 1] === '{';
  let j = braced ? i + 2 : i + 1;
  const forbidden = (at: number): { next: number; error: CookError } => ({
    next: at,
    error: { code: 'env-var-forbidden-first-char', at: advance(base, at) },
  });
  const unmatchedBrace = (): { next: number; error: CookError } => ({
    next: j,
    error: { code: 'env-var-unmatched-brace', at: advance(base, i + 1) },
  });

  const first = j < end ? raw[j]! : '"';
  if (!isNameStart(first) && first !== '.') return forbidden(j);
  const nameStart = j;
  j++;
  while (j < end && isNameChar(raw[j]!)) j++;
  const name = raw.slice(nameStart, j);
  if (name.startsWith('.') && !PSEUDO_VARIABLES.has(name)) return forbidden(nameStart);

  if (!braced) {
    out.append(lookup(name, ctx) ?? '');
    return { next: j };
  }

  let split = false;
  if (raw[j] === '[') {
    if (raw[j + 1] !== '*' || raw[j + 2] !== ']') {
      return {
        next: j,
        error: { code: 'env-var-invalid-word-expansion', at: advance(base, j) },
      };
    }
    split = true;
    j += 3;
  }
  let fallback: string | undefined;
  if (raw[j] === '-') {
    const close = raw.indexOf('}', j + 1);
    if (close < 0 || close >= end) return unmatchedBrace();
    fallback = raw.slice(j + 1, close);
    j = close;
    out.defaultBraceAt ??= advance(base, i + 1);
  }
  if (raw[j] !== '}' || j >= end) return unmatchedBrace();
  j++;

  const value = lookup(name, ctx) ?? fallback ?? '';
  if (split) out.appendSplit(value);
  else out.append(value);
  return { next: j };
}
