/**
 * hpm/after-cycle on dependency graphs people write: a cycle is named once, with its path, and a
 * wide graph without one is read in one walk per program (it used to try every path: 28 programs
 * each `after` all earlier ones took 12 s, 40 would take hours; hpm-run lints at every start).
 */
import { describe, expect, it } from 'vitest';
import { lintText } from './rule-helpers.js';

const programs = (afterOf: (i: number) => string[], count: number): string => {
  let text = 'global\n    master-worker\n';
  for (let i = 0; i < count; i++) {
    const after = afterOf(i);
    text += `program p${i}\n    command sleep 1\n`;
    if (after.length > 0) text += `.if defined(HPM_RUN)\n    after ${after.join(' ')}\n.endif\n`;
  }
  return text;
};
const cycles = (text: string) =>
  lintText(text, 'a.cfg')
    .results.flatMap((r) => r.diagnostics)
    .filter((d) => d.ruleId === 'hpm/after-cycle')
    .map((d) => `${d.span.start.line}:${d.span.start.column} ${d.message}`);

describe('hpm/after-cycle', () => {
  it('finds no cycle where each of 40 programs starts after all earlier ones', () => {
    expect(cycles(programs((i) => Array.from({ length: i }, (_, j) => `p${j}`), 40))).toEqual([]);
  });
  it('names a cycle beside that graph once, from its first program in the file', () => {
    const wide = programs((i) => Array.from({ length: i }, (_, j) => `p${j}`), 40);
    const pair = 'program x\n    command sleep 1\n.if defined(HPM_RUN)\n    after p39 y\n.endif\nprogram y\n    command sleep 1\n.if defined(HPM_RUN)\n    after x\n.endif\n';
    const line = wide.split('\n').length + 3;
    expect(cycles(wide + pair)).toEqual([`${line}:15 'after' makes a cycle: 'x' -> 'y' -> 'x'`]);
  });
});
