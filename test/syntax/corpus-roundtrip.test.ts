import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeConfigBytes, encodeConfigText } from '../../src/model/index.js';
import { parse, print } from '../../src/syntax/index.js';
import { corpusAvailable, corpusDir, corpusFiles } from '../helpers/corpus.js';

if (!corpusAvailable) console.log('skipping corpus round-trip: ../shared/corpus is not present');

describe.skipIf(!corpusAvailable)('every corpus file', () => {
  it.each(corpusFiles())('%s parses and prints back byte for byte', (name) => {
    const bytes = readFileSync(join(corpusDir, name));
    const { text, encoding } = decodeConfigBytes(bytes);
    const { ast } = parse(text, { file: name });
    expect(ast.lines.length).toBeGreaterThan(0);
    expect(encodeConfigText(print(ast), encoding).equals(bytes)).toBe(true);
  });
});
