/**
 * One fixture pair per layout rule of format.md: fixtures/format/<rule>/input.cfg formats to
 * output.cfg (with the Prettier options of options.json, if any), and output.cfg is stable.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatConfigText, type FormatOptions } from '../../src/format/format.js';
import { meaningOf } from './meaning.js';

const fixturesDir = resolve(__dirname, '../../fixtures/format');
const rules = readdirSync(fixturesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

function readFixture(rule: string): { input: string; output: string; options: FormatOptions } {
  const dir = join(fixturesDir, rule);
  const optionsFile = join(dir, 'options.json');
  return {
    input: readFileSync(join(dir, 'input.cfg'), 'utf8'),
    output: readFileSync(join(dir, 'output.cfg'), 'utf8'),
    options: existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, 'utf8')) as FormatOptions) : {},
  };
}

describe('layout rules (fixtures/format)', () => {
  it('has a fixture for every rule', () => {
    expect(rules.length).toBeGreaterThanOrEqual(25);
  });

  it.each(rules)('%s', async (rule) => {
    const { input, output, options } = readFixture(rule);
    const formatted = await formatConfigText(input, { filepath: `${rule}/input.cfg`, ...options });
    expect(formatted).toBe(output);
    expect(await formatConfigText(output, { filepath: `${rule}/output.cfg`, ...options })).toBe(output);
    expect(meaningOf(formatted)).toEqual(meaningOf(input));
  });
});
