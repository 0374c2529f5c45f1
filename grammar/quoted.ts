/**
 * Where a double-quoted piece ends: the matcher behind the lexer's DoubleQuoted tokens (a regular
 * expression cannot follow HAProxy's `${NAME-default}` rule across quotes).
 */
/**
 * Where a double-quoted piece starting at `offset` ends, the way HAProxy's parse_line() walks it:
 * `\` protects the next character, and the default of `${NAME-default}` runs to the first `}`
 * *whatever it holds*, closing quote and CR included (`"${NOPE-x"y}"` is the one word `x"y`,
 * checked with 2.6). Returns the end offset and whether a closing quote was found; an unclosed
 * piece stops before the CR, LF or NUL that ends the line.
 */
export function scanDoubleQuoted(text: string, offset: number): { end: number; closed: boolean } {
  const n = text.length;
  let i = offset + 1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) return { end: i + 1, closed: true };
    if (c === 10 || c === 13 || c === 0) break;
    if (c === 92 /* \ */) {
      const next = i + 1 < n ? text.charCodeAt(i + 1) : 10;
      i += next === 10 || next === 13 || next === 0 ? 1 : 2;
      continue;
    }
    if (c === 36 /* $ */ && text.charCodeAt(i + 1) === 123 /* { */) {
      const close = defaultBraceEnd(text, i + 2);
      if (close >= 0) {
        i = close + 1;
        continue;
      }
    }
    i++;
  }
  return { end: i, closed: false };
}

function isNameStartCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isNameCode(c: number): boolean {
  return isNameStartCode(c) || (c >= 48 && c <= 57);
}

/**
 * For `${NAME[*]-default}` whose name starts at `j`: the offset of the `}` that closes the
 * default (searched up to the end of the line, quotes and CR included), or -1 when there is no
 * default or no such brace (the cooker then reports the error).
 */
export function defaultBraceEnd(text: string, j: number): number {
  const first = text.charCodeAt(j);
  if (!isNameStartCode(first) && first !== 46 /* . */) return -1;
  j++;
  while (j < text.length && isNameCode(text.charCodeAt(j))) j++;
  if (text.charCodeAt(j) === 91 /* [ */) {
    if (text.charCodeAt(j + 1) !== 42 || text.charCodeAt(j + 2) !== 93) return -1;
    j += 3;
  }
  if (text.charCodeAt(j) !== 45 /* - */) return -1;
  for (let k = j + 1; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 125 /* } */) return k;
    if (c === 10 || c === 0) return -1;
  }
  return -1;
}

