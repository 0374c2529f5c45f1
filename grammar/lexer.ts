/**
 * Chevrotain tokens for haproxy.cfg, cut so that every byte of the input lands in exactly one
 * token (the CST is lossless). The cuts follow HAProxy's own line tokenizer (spec haproxy.md §1):
 * a line is blanks, word fragments, an optional comment and a line end. What a fragment *means*
 * (escapes, `$VAR`) is decided later in src/syntax/cook.ts; the lexer only decides where the
 * boundaries are, so it never fails: any byte sequence lexes.
 *
 * Every token tells Chevrotain its possible first characters (a regexp it can analyse, or a
 * custom matcher with `start_chars_hint`), so the lexer only tries the tokens that can start at
 * each character instead of all of them.
 */
import type { CustomPatternMatcherFunc, CustomPatternMatcherReturn, Lexer, TokenType } from 'chevrotain';
import { chevrotain } from './chevrotain.js';
import { scanDoubleQuoted } from './quoted.js';


/** True when every character between the previous LF (or file start) and `offset` is blank. */
function atLineStart(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10) return true;
    // HAProxy skips leading isspace() characters, CR included, before tokenizing.
    if (c !== 32 && c !== 9 && c !== 11 && c !== 12 && c !== 13) return false;
  }
  return true;
}

function sticky(re: RegExp): RegExp {
  return new RegExp(re.source, 'y');
}

/** Blank characters of a line: HAProxy's isspace() minus LF. */
function isBlankOrCr(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12 || c === 13;
}

/** A custom matcher's answer: Chevrotain reads only the image (`[0]`). */
function matchedAt(text: string, offset: number, end: number): CustomPatternMatcherReturn {
  return [text.slice(offset, end)];
}

const blankMatcher: CustomPatternMatcherFunc = (text, offset) => {
  // At the start of a line HAProxy skips every isspace() byte, CR included; right after a word a
  // CR ends the line instead (see CarriageReturnTail). HAProxy's separator loop skips every
  // isspace() byte once it has seen a real blank, so a CR right after a blank is eaten as
  // whitespace (`maxconn 10 \rfoo` gives 3 words, checked with 2.6).
  const first = text.charCodeAt(offset);
  if (first === 13 ? !atLineStart(text, offset) : !isBlankOrCr(first)) return null;
  let end = offset + 1;
  while (end < text.length && isBlankOrCr(text.charCodeAt(end))) end++;
  return matchedAt(text, offset, end);
};

const scopeRe = sticky(/\[[^\n]*/);
const scopeMatcher: CustomPatternMatcherFunc = (text, offset) => {
  if (!atLineStart(text, offset)) return null;
  scopeRe.lastIndex = offset;
  return scopeRe.exec(text);
};

/** The lexer's tokens and the lexer itself, built on first use (Chevrotain's set-up is not free, and easy lines never need it). */
export interface GrammarTokens {
  Newline: TokenType;
  Blank: TokenType;
  ScopeLine: TokenType;
  Comment: TokenType;
  CarriageReturnTail: TokenType;
  NulTail: TokenType;
  DoubleQuoted: TokenType;
  UnclosedDoubleQuoted: TokenType;
  SingleQuoted: TokenType;
  UnclosedSingleQuoted: TokenType;
  Escape: TokenType;
  BareText: TokenType;
  allTokens: TokenType[];
  wordPieceTokens: TokenType[];
  haproxyLexer: Lexer;
}

let built: GrammarTokens | undefined;

export function grammarTokens(): GrammarTokens {
  return (built ??= buildTokens());
}

function buildTokens(): GrammarTokens {
  const { createToken, Lexer } = chevrotain();
  const Newline = createToken({ name: 'Newline', pattern: /\n/, line_breaks: true });
  /** Blanks: separators between words, or the indentation of a line. */
  const Blank = createToken({
    name: 'Blank',
    pattern: { exec: blankMatcher },
    start_chars_hint: [' ', '\t', '\v', '\f', '\r'],
    line_breaks: false,
  });
  /** `[name]` scope line (§1.2): never tokenized by HAProxy, so one opaque token to the line end. */
  const ScopeLine = createToken({ name: 'ScopeLine', pattern: { exec: scopeMatcher }, start_chars_hint: ['['], line_breaks: false });
  /** `#` outside quotes: the rest of the line is a comment, even in the middle of a word. */
  const Comment = createToken({ name: 'Comment', pattern: /#[^\n]*/ });
  /**
   * A CR right after a word ends the logical line for HAProxy; the rest up to LF is never read.
   * (A UTF-8 BOM gets no token of its own: 2.6 glues it to the first word, so it is BareText.)
   */
  const CarriageReturnTail = createToken({ name: 'CarriageReturnTail', pattern: /\r[^\n]*/ });
  /** A NUL byte: HAProxy loses the rest of the line (and stops reading the file if more follows). */
  const NulTail = createToken({ name: 'NulTail', pattern: /\x00[^\n]*/ });

  /** One scan serves both double-quote token types (Chevrotain tries them in turn at one offset). */
  let lastScan = { text: '', offset: -1, end: 0, closed: false };
  function doubleQuotedAt(text: string, offset: number): { end: number; closed: boolean } {
    if (lastScan.offset !== offset || lastScan.text !== text) {
      const { end, closed } = scanDoubleQuoted(text, offset);
      lastScan = { text, offset, end, closed };
    }
    return lastScan;
  }
  const closedDoubleQuoted: CustomPatternMatcherFunc = (text, offset) => {
    if (text.charCodeAt(offset) !== 34) return null;
    const scan = doubleQuotedAt(text, offset);
    return scan.closed ? matchedAt(text, offset, scan.end) : null;
  };
  const unclosedDoubleQuoted: CustomPatternMatcherFunc = (text, offset) => {
    if (text.charCodeAt(offset) !== 34) return null;
    const scan = doubleQuotedAt(text, offset);
    return scan.closed ? null : matchedAt(text, offset, scan.end);
  };

  /** `"..."`: escapes and `$` expansions inside are resolved by the cooker. */
  const DoubleQuoted = createToken({ name: 'DoubleQuoted', pattern: { exec: closedDoubleQuoted }, start_chars_hint: ['"'], line_breaks: false });
  /** A double quote that is not closed before the line ends: `syntax/unmatched-quote`. */
  const UnclosedDoubleQuoted = createToken({
    name: 'UnclosedDoubleQuoted',
    pattern: { exec: unclosedDoubleQuoted },
    start_chars_hint: ['"'],
    line_breaks: false,
  });
  const SingleQuoted = createToken({ name: 'SingleQuoted', pattern: /'[^'\r\n\x00]*'/ });
  const UnclosedSingleQuoted = createToken({ name: 'UnclosedSingleQuoted', pattern: /'[^'\r\n\x00]*/ });
  /**
   * An unquoted backslash escape that HAProxy turns into something else (§1.5). A backslash
   * before any other character (or before `$`, TAB or the line end) is literal and belongs to
   * BareText.
   */
  const Escape = createToken({ name: 'Escape', pattern: /\\(?:x[0-9A-Fa-f]{0,2}|[\\ #'"tnr])/ });
  /** Characters that end bare text: blanks, CR, LF, NUL, quotes, `#` (a backslash is decided apart). */
  const BARE_STOP = new Uint8Array(128);
  for (const c of ' \t\v\f\r\n\x00"\'#') BARE_STOP[c.charCodeAt(0)] = 1;
  /** Characters after a backslash that make it an Escape token rather than bare text. */
  const ESCAPE_AFTER_BACKSLASH = new Uint8Array(128);
  for (const c of '\\ #\'"tnrx') ESCAPE_AFTER_BACKSLASH[c.charCodeAt(0)] = 1;

  /**
   * Same cut as `/(?:[^ \t\v\f\r\n\x00"'\\#]|\\(?![\\ #'"tnrx]))+/`, written by hand: Chevrotain
   * cannot find the start characters of a complement-set regexp, and one such token turns off its
   * first-character dispatch for the whole lexer (every token tried at every offset).
   */
  const bareTextMatcher: CustomPatternMatcherFunc = (text, offset) => {
    const length = text.length;
    let end = offset;
    while (end < length) {
      const c = text.charCodeAt(end);
      if (c < 128) {
        if (c === 92) {
          // A backslash at the end of the text, or before anything but an escape letter, is literal.
          const next = end + 1 < length ? text.charCodeAt(end + 1) : -1;
          if (next >= 0 && next < 128 && ESCAPE_AFTER_BACKSLASH[next] === 1) break;
        } else if (BARE_STOP[c] === 1) {
          break;
        }
      }
      end++;
    }
    return end === offset ? null : matchedAt(text, offset, end);
  };

  /**
   * Every UTF-16 code unit that can start bare text: all but the stop characters (a backslash can,
   * when no escape follows). Listed one by one, high code points included: Chevrotain folds codes
   * >= 256 into shared buckets itself, so non-ASCII text (BOM, NBSP, CJK, emoji surrogates) still
   * reaches this token.
   */
  const bareTextStartChars: number[] = [];
  for (let c = 0; c <= 0xffff; c++) if (c >= 128 || BARE_STOP[c] !== 1) bareTextStartChars.push(c);

  /** Plain characters, including a literal backslash that starts no escape. */
  const BareText = createToken({
    name: 'BareText',
    pattern: { exec: bareTextMatcher },
    start_chars_hint: bareTextStartChars,
    line_breaks: false,
  });

  const allTokens: TokenType[] = [
    Newline,
    ScopeLine,
    Blank,
    Comment,
    CarriageReturnTail,
    NulTail,
    DoubleQuoted,
    UnclosedDoubleQuoted,
    SingleQuoted,
    UnclosedSingleQuoted,
    Escape,
    BareText,
  ];

  /** Token types that make up a word. */
  const wordPieceTokens: TokenType[] = [DoubleQuoted, UnclosedDoubleQuoted, SingleQuoted, UnclosedSingleQuoted, Escape, BareText];

  const haproxyLexer = new Lexer(allTokens, {
    // Offsets only: line and column come from the line a token is in (cheaper tokens).
    positionTracking: 'onlyOffset',
    // Fail at start-up if a token ever hides its first characters from Chevrotain again: without
    // first-character dispatch every token is tried at every offset (lexing ~2x slower).
    ensureOptimizations: true,
    // Every byte matches some token, so lexing errors cannot occur; keep the check cheap.
    skipValidations: true,
    // Only LF ends a physical line (fgets semantics); CR is a token of its own.
    lineTerminatorsPattern: /\n/g,
    lineTerminatorCharacters: ['\n'],
  });

  return { Newline, Blank, ScopeLine, Comment, CarriageReturnTail, NulTail, DoubleQuoted, UnclosedDoubleQuoted, SingleQuoted, UnclosedSingleQuoted, Escape, BareText, allTokens, wordPieceTokens, haproxyLexer };
}
