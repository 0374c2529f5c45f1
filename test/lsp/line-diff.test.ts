/** The formatter's output as line edits: applying them gives the target, and they stay small. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineHunks, splitLines, type LineHunk } from '../../src/lsp/line-diff.js';
import { propertySeed } from '../helpers/env.js';

function apply(text: string, hunks: LineHunk[]): string {
  const lines = splitLines(text);
  for (const h of [...hunks].sort((a, b) => b.oldStart - a.oldStart)) lines.splice(h.oldStart, h.oldEnd - h.oldStart, ...h.newLines);
  return lines.join('');
}

describe('lineHunks', () => {
  it('turns any text into any other, line by line', () => {
    const line = fc.constantFrom('global\n', '  daemon\n', '    daemon\n', '\n', 'program a\n', '    command x\n', 'no final LF');
    const text = fc.array(line, { maxLength: 12 }).map((lines) => lines.join(''));
    fc.assert(
      fc.property(text, text, (before, after) => {
        expect(apply(before, lineHunks(before, after))).toBe(after);
      }),
      { seed: propertySeed, numRuns: 500 },
    );
  });

  it('touches only the lines that change: a re-indented line is one one-line edit', () => {
    const before = 'global\n  daemon\n\nprogram a\n    command x\n';
    const after = 'global\n    daemon\n\nprogram a\n    command x\n';
    expect(lineHunks(before, after)).toEqual([{ oldStart: 1, oldEnd: 2, newLines: ['    daemon\n'] }]);
    expect(lineHunks(after, after)).toEqual([]);
  });

  it('keeps the unchanged lines between two changes', () => {
    const before = 'a\n b\nc\nd\n\n\ne\n';
    const after = 'a\n    b\nc\nd\n\ne\n';
    const hunks = lineHunks(before, after);
    expect(hunks).toHaveLength(2);
    expect(hunks[0]).toEqual({ oldStart: 1, oldEnd: 2, newLines: ['    b\n'] });
    expect(apply(before, hunks)).toBe(after);
  });
});
