/**
 * How one line's text is made: cut from the file when its words are already one space apart,
 * put together word by word otherwise; either way the same words, and a lone backslash keeps the
 * blank after it. Each case is checked against HAProxy's reading by `meaningOf`.
 */
import { describe, expect, it } from 'vitest';
import { formatConfigText } from '../../src/format/format.js';
import { meaningOf } from './meaning.js';

async function formatsTo(input: string, expected: string, options: { endOfLine?: 'lf' | 'crlf' } = {}): Promise<void> {
  const formatted = await formatConfigText(input, options);
  expect(formatted).toBe(expected);
  expect(meaningOf(formatted)).toEqual(meaningOf(input));
  expect(await formatConfigText(formatted, options)).toBe(formatted);
}

describe('line text', () => {
  it('keeps a line whose words are one space apart, around its indentation, trailing blanks and comment', async () => {
    await formatsTo('global\n\t  log stdout format raw \t  # to stdout \t\n  maxconn 10   \n', 'global\n    log stdout format raw # to stdout\n    maxconn 10\n');
  });

  it('keeps the text after a lone CR glued to the last word, and drops a CRLF line end', async () => {
    await formatsTo('global\n  daemon x\rold text\n  maxconn 10\r\n', 'global\n    daemon x\rold text\n    maxconn 10\n');
    await formatsTo('global\r\n  daemon x\rold text\r\n', 'global\r\n    daemon x\rold text\r\n', { endOfLine: 'crlf' });
  });

  it('puts one space between words written with several blanks, quotes and escapes as written', async () => {
    await formatsTo('global\n   log \t "a b"  \\x41\\ c   \'d\'\t# c\n', 'global\n    log "a b" \\x41\\ c \'d\' # c\n');
  });

  it('keeps the TAB after a lone backslash, before a word or a comment, but not after an escaped one', async () => {
    await formatsTo('program p\n  command /bin/echo a\\\tb  c\n  command d\\\t# why\n  command e\\\\\tf\n', 'program p\n    command /bin/echo a\\\tb c\n    command d\\\t# why\n    command e\\\\ f\n');
  });
});
