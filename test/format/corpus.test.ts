/**
 * Every real configuration of the shared corpus that the formatter accepts: formatting keeps the
 * meaning (same statements, words and comments) and a second pass changes nothing.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeConfigBytes } from '../../src/model/index.js';
import { formatConfigText } from '../../src/format/format.js';
import { refusingDiagnostics } from '../../src/format/refusal.js';
import { parse } from '../../src/syntax/index.js';
import { corpusAvailable, corpusEntries } from '../helpers/corpus.js';
import { meaningOf } from './meaning.js';

const entries = corpusEntries();

describe.skipIf(!corpusAvailable)('formatting the corpus', () => {
  it.each(entries.map((e) => [e.filename, e.path] as const))('%s: same meaning, idempotent', async (name, path) => {
    const { text } = decodeConfigBytes(readFileSync(path));
    const refusing = refusingDiagnostics(parse(text, { file: name }).diagnostics);
    if (refusing.length > 0) {
      await expect(formatConfigText(text, { filepath: name })).rejects.toThrow(/syntax error/);
      return;
    }
    const once = await formatConfigText(text, { filepath: name });
    expect(meaningOf(once)).toEqual(meaningOf(text));
    const twice = await formatConfigText(once, { filepath: name });
    expect(twice === once).toBe(true);
  });
});
