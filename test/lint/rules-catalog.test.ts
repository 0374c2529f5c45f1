/**
 * The rule catalogue keeps its promises: every rule has metadata, a docs page whose bad example
 * makes it fire and whose good example does not, and a fixture pair that does the same.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/lint/index.js';
import { fixtureOptions, lintText, ruleIdsOf, type ExampleOptions } from './rule-helpers.js';

const root = resolve(__dirname, '../..');
const ids = RULES.map((r) => r.meta.id);

function pageExamples(markdown: string): { bad: string; good: string; options: ExampleOptions } {
  const blocks = [...markdown.matchAll(/```haproxy\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const options = /<!-- lint-options: (.*) -->/.exec(markdown);
  return { bad: blocks[0] ?? '', good: blocks[1] ?? '', options: options ? JSON.parse(options[1]!) : {} };
}

function prepare(text: string, which: 'bad' | 'good', options: ExampleOptions): string {
  let out = text;
  for (const [from, to] of Object.entries(options.replace ?? {})) out = out.split(from).join(to);
  if (options.stripFinalNewline === which) out = out.replace(/\n$/, '');
  return out;
}

describe('the rule catalogue', () => {
  it('has unique ids in <group>/<name> form, grouped as lint.md says', () => {
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^(syntax|program|hpm|keyword)\/[a-z-]+$/);
  });

  it('implements every rule id named in the lint spec', () => {
    const spec = join(root, '../shared/spec/lint.md');
    if (!existsSync(spec)) return;
    const named = new Set([...readFileSync(spec, 'utf8').matchAll(/`((?:syntax|program|hpm)\/[a-z-]+)`/g)].map((m) => m[1]!));
    expect([...named].filter((id) => !ids.includes(id))).toEqual([]);
  });

  it.each(RULES.map((r) => [r.meta.id, r] as const))('%s has a docs page with a bad and a good example, and a fixture pair', (_id, rule) => {
    const page = join(root, rule.meta.docs);
    expect(existsSync(page), `missing ${rule.meta.docs}`).toBe(true);
    const markdown = readFileSync(page, 'utf8');
    expect(markdown).toMatch(/## Why/);
    expect(markdown).toMatch(/## HAProxy's own message/);
    const { bad, good } = pageExamples(markdown);
    expect(bad, 'no bad ```haproxy example').not.toBe('');
    expect(good, 'no good ```haproxy example').not.toBe('');
    for (const kind of ['fires', 'clean']) {
      expect(existsSync(join(root, 'fixtures/lint', rule.meta.id, `${kind}.cfg`)), `missing fixtures/lint/${rule.meta.id}/${kind}.cfg`).toBe(true);
    }
  });

  it.each(RULES.map((r) => [r.meta.id, r] as const))('%s fires on its docs page bad example and not on the good one', (id, rule) => {
    const { bad, good, options } = pageExamples(readFileSync(join(root, rule.meta.docs), 'utf8'));
    const { replace: _r, stripFinalNewline: _s, ...lintOptions } = options;
    expect(ruleIdsOf(lintText(prepare(bad, 'bad', options), 'bad.cfg', lintOptions))).toContain(id);
    expect(ruleIdsOf(lintText(prepare(good, 'good', options), 'good.cfg', lintOptions))).not.toContain(id);
  });

  it.each(RULES.map((r) => [r.meta.id] as const))('%s fires on fixtures/lint/<id>/fires.cfg and not on clean.cfg', (id) => {
    for (const [kind, fires] of [['fires', true], ['clean', false]] as const) {
      const path = join(root, 'fixtures/lint', id, `${kind}.cfg`);
      const text = readFileSync(path, 'utf8');
      const found = ruleIdsOf(lintText(text, path, fixtureOptions(text)));
      if (fires) expect(found, path).toContain(id);
      else expect(found, path).not.toContain(id);
    }
  });

  // Where a rule fires, and in which words: fires.expected lists `line:column message` of its
  // findings on fires.cfg, so a changed message or place is noticed, not only a missing id.
  const WORDED_ELSEWHERE = new Set(['syntax/keyword-out-of-section', 'syntax/unknown-section']);
  it.each(RULES.filter((r) => /^(syntax|program|hpm)\//.test(r.meta.id) && !WORDED_ELSEWHERE.has(r.meta.id)).map((r) => [r.meta.id] as const))(
    '%s: fires.cfg gives the findings of fires.expected (line, column, message)',
    (id) => {
      const dir = join(root, 'fixtures/lint', id);
      const expected = readFileSync(join(dir, 'fires.expected'), 'utf8').trimEnd().split('\n');
      const path = join(dir, 'fires.cfg');
      const text = readFileSync(path, 'utf8');
      const found = lintText(text, path, fixtureOptions(text))
        .results.flatMap((r) => r.diagnostics)
        .filter((d) => d.ruleId === id)
        .map((d) => `${d.span.start.line}:${d.span.start.column} ${d.message}`);
      expect(found).toEqual(expected);
    },
  );
});
