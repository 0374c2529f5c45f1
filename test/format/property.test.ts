/**
 * Random configurations (every quoting and escape form, comments, blank lines, CRLF and lone CRs,
 * `.if` blocks inside and around sections, ignore markers): formatting keeps the meaning and
 * every word and comment, a second pass changes nothing, and broken input is refused.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatConfigText } from '../../src/format/format.js';
import { refusingDiagnostics } from '../../src/format/refusal.js';
import { parse } from '../../src/syntax/index.js';
import { config, ENV, options } from './arbitraries.js';
import { meaningOf } from './meaning.js';
import { propertySeed } from '../helpers/env.js';

describe('formatting random configurations', () => {
  it('keeps the meaning, the words and the comments; is idempotent; refuses broken input', async () => {
    const numRuns = Number(process.env.HPM_FC_RUNS ?? 400);
    let formattedCount = 0;
    await fc.assert(
      fc.asyncProperty(config, options, async (text, opts) => {
        const refusing = refusingDiagnostics(parse(text, { file: 'random.cfg' }).diagnostics);
        if (refusing.length > 0) {
          await expect(formatConfigText(text, opts)).rejects.toThrow(SyntaxError);
          return;
        }
        formattedCount++;
        const once = await formatConfigText(text, opts);
        expect(meaningOf(once, ENV)).toEqual(meaningOf(text, ENV));
        expect(await formatConfigText(once, opts)).toBe(once);
      }),
      { numRuns, seed: propertySeed },
    );
    // the generator must mostly produce valid configurations, or the test proves little
    expect(formattedCount).toBeGreaterThan(numRuns * 0.6);
  }, 120_000);
});
