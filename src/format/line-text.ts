/**
 * The text of one output line, built from an AST line without its indentation and line end.
 * Words keep their raw text (never re-quoted); only the blanks between them change, so HAProxy's
 * tokenizer yields the same words before and after (spec format.md "Promises").
 */
import type { Line, Word } from '../syntax/index.js';

/** Blanks HAProxy ignores at a line end, CR included (a CR there is only a CRLF's half). */
const TRAILING_BLANKS = /[ \t\v\f\r]+$/;

/**
 * A bare backslash at the end of a word escapes nothing: HAProxy keeps it and the blank after it
 * separates words (`a\<TAB>b` is `a\`, `b`). Written `a\ b` it would become the escape `\ ` and
 * glue the words, so such a word keeps its original separator (a TAB, VT or FF, never a space).
 */
function endsWithLoneBackslash(word: Word): boolean {
  const last = word.fragments[word.fragments.length - 1];
  return last !== undefined && last.kind === 'bare' && last.raw.endsWith('\\');
}

function separatorAfter(word: Word, original: string): string {
  return endsWithLoneBackslash(word) && original !== '' ? original[0]! : ' ';
}

/** A comment's text as printed: trailing blanks (and CRs) carry nothing and go. */
export function commentText(raw: string): string {
  return raw.replace(TRAILING_BLANKS, '');
}

/**
 * What follows a CR that ends a line early. HAProxy never reads it, but it may be text a human
 * wrote (a file saved with old Mac line ends), so it is kept verbatim; a tail that holds only
 * CRs and blanks (the CR of a CRLF line end, mostly) carries nothing and is dropped, which keeps
 * formatting idempotent whatever the output line ends are.
 */
export function keptCarriageReturnTail(crTail: string | undefined): string {
  if (crTail === undefined) return '';
  const trimmed = crTail.replace(TRAILING_BLANKS, '');
  return /^[\r \t\v\f]*$/.test(trimmed) ? '' : trimmed;
}

/** The canonical text of a line (statement, section, directive or comment), indentation excluded. */
export function canonicalLineText(line: Line): string {
  let out = '';
  line.words.forEach((word, i) => {
    out += word.raw;
    if (i < line.words.length - 1) out += separatorAfter(word, line.gaps[i] ?? '');
  });
  const last = line.words[line.words.length - 1];
  if (line.comment) {
    const text = commentText(line.comment.raw);
    out += last ? separatorAfter(last, line.trailing) + text : text;
  }
  // The tail is glued to the last word: a blank before a CR would turn the tail into words.
  return out + keptCarriageReturnTail(line.crTail);
}

/**
 * A line kept as written (prettier-ignore, hpm-fmt: off, scope lines): everything but its line
 * end. Trailing CRs go (they are the CRLF's CR, or nothing HAProxy reads) so that the output's
 * line ends stay Prettier's `endOfLine` and a second pass changes nothing.
 */
export function verbatimLineText(line: Line): string {
  let out = line.indent + (line.scope ?? '');
  line.words.forEach((word, i) => {
    out += word.raw + (line.gaps[i] ?? '');
  });
  out += line.trailing + (line.comment?.raw ?? '') + (line.crTail ?? '') + (line.nulTail ?? '');
  return out.replace(/\r+$/, '');
}
