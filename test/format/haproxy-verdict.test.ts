/**
 * Differential check against the real haproxy 2.6: for every corpus file it accepts, `haproxy -c`
 * says the same before and after formatting (exit code, and the same messages once file
 * positions, pids and timestamps are masked).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatConfigText } from '../../src/format/format.js';
import { decodeConfigBytes, encodeConfigText } from '../../src/model/index.js';
import { corpusAvailable, corpusEntries } from '../helpers/corpus.js';
import { haproxyAvailable, skipReason } from '../helpers/env.js';
import { haproxyCheck } from './haproxy-check.js';

const accepted = corpusEntries().filter((e) => e.haproxy26Rc === 0 || e.haproxy26Rc === 2);
const work = mkdtempSync(join(tmpdir(), 'hpm-fmt-haproxy-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const skip = skipReason('haproxy -c differential', haproxyAvailable && corpusAvailable, 'needs /usr/sbin/haproxy and the shared corpus');

describe.skipIf(skip)('haproxy -c gives the same verdict before and after formatting', () => {
  it.each(accepted.map((e) => [e.filename, e] as const))('%s', async (name, entry) => {
    const { text, encoding } = decodeConfigBytes(readFileSync(entry.path));
    const formatted = await formatConfigText(text, { filepath: name });
    const before = haproxyCheck(join(work, name, 'before'), readFileSync(entry.path), { masterWorker: entry.hasProgram });
    const after = haproxyCheck(join(work, name, 'after'), encodeConfigText(formatted, encoding), { masterWorker: entry.hasProgram });
    expect(after.code).toBe(before.code);
    expect(after.messages).toEqual(before.messages);
  });
});
