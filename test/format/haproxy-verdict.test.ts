/**
 * Differential check against the real haproxy 2.6: for every corpus file it accepts, `haproxy -c`
 * says the same before and after formatting (exit code, and the same messages once file
 * positions, pids and timestamps are masked).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatConfigText } from '../../src/format/format.js';
import { decodeConfigBytes, encodeConfigText } from '../../src/model/index.js';
import { corpusAvailable, corpusEntries } from '../helpers/corpus.js';
import { haproxyAvailable, skipReason } from '../helpers/env.js';

const accepted = corpusEntries().filter((e) => e.haproxy26Rc === 0 || e.haproxy26Rc === 2);
const work = mkdtempSync(join(tmpdir(), 'hpm-fmt-haproxy-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs `haproxy -c` on `bytes` saved as <dir>/<name>, from that directory. */
function check(dir: string, name: string, bytes: Uint8Array, masterWorker: boolean): { code: number | null; messages: string[] } {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), bytes);
  const run = spawnSync('haproxy', ['-c', ...(masterWorker ? ['-W'] : []), '-f', name], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
  const messages = `${run.stdout}${run.stderr}`
    .split('\n')
    .map((l) => l.replace(/^\d+\.\d+ /, 'TIME ').replace(/\(\d+\)/g, '(PID)').replace(/\[[^\]\n]*:\d+\]/g, '[FILE:LINE]').replace(/ at line \d+/g, ' at line N'))
    .filter((l) => l.trim() !== '')
    .sort();
  return { code: run.status, messages };
}

const skip = skipReason('haproxy -c differential', haproxyAvailable && corpusAvailable, 'needs /usr/sbin/haproxy and the shared corpus');

describe.skipIf(skip)('haproxy -c gives the same verdict before and after formatting', () => {
  it.each(accepted.map((e) => [e.filename, e] as const))('%s', async (name, entry) => {
    const { text, encoding } = decodeConfigBytes(readFileSync(entry.path));
    const formatted = await formatConfigText(text, { filepath: name });
    const before = check(join(work, name, 'before'), 'haproxy.cfg', readFileSync(entry.path), entry.hasProgram);
    const after = check(join(work, name, 'after'), 'haproxy.cfg', encodeConfigText(formatted, encoding), entry.hasProgram);
    expect(after.code).toBe(before.code);
    expect(after.messages).toEqual(before.messages);
  });
});
