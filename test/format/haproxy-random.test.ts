/**
 * Differential check of random configurations against the real haproxy 2.6: `haproxy -c -W`
 * gives the same exit code and the same messages (positions masked) before and after formatting.
 * This is where the tokenizer facts the formatter relies on (a lone backslash before a TAB, a CR
 * after a blank, text after a CR) meet the binary.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { formatConfigText } from '../../src/format/format.js';
import { refusingDiagnostics } from '../../src/format/refusal.js';
import { parse } from '../../src/syntax/index.js';
import { haproxyAvailable, propertySeed, skipReason } from '../helpers/env.js';
import { config, ENV, options } from './arbitraries.js';
import { haproxyCheck } from './haproxy-check.js';

const work = mkdtempSync(join(tmpdir(), 'hpm-fmt-random-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const verdict = (text: string) => haproxyCheck(work, text, { masterWorker: true, env: ENV });

describe.skipIf(skipReason('random haproxy -c differential', haproxyAvailable, 'needs /usr/sbin/haproxy'))('haproxy -c on random configurations', () => {
  it('says the same before and after formatting', async () => {
    const numRuns = Number(process.env.HPM_FC_RUNS ?? 60);
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(config, options, async (text, opts) => {
        if (refusingDiagnostics(parse(text, { file: 'random.cfg', env: ENV }).diagnostics).length > 0) return;
        const formatted = await formatConfigText(text, opts);
        const before = verdict(text.endsWith('\n') ? text : `${text}\n`); // a missing LF is fatal; the formatter adds it
        const after = verdict(formatted);
        expect(after).toEqual(before);
        compared++;
      }),
      { numRuns, seed: propertySeed },
    );
    // most generated files must be valid, or the check proves little
    expect(compared).toBeGreaterThan(numRuns * 0.6);
  }, 120_000);
});
