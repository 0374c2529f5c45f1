/** The examples of docs/lint.md do what the page says. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintText } from './rule-helpers.js';

const doc = readFileSync(resolve(__dirname, '../../docs/lint.md'), 'utf8');

describe('docs/lint.md', () => {
  it('the suppression example suppresses every finding it names, and nothing is left unused', () => {
    const example = /## Suppressing a finding\n\n```haproxy\n([\s\S]*?)```/.exec(doc)![1]!;
    // `...` stands for the lines the block covers: two commands, the finding it suppresses.
    const text = 'global\n    master-worker\n' + example.replace('...\n', 'program x\n    command sleep 1\n    command sleep 2\n');
    const found = lintText(text, 'haproxy.cfg').results.flatMap((r) => r.diagnostics.map((d) => `${d.span.start.line} ${d.ruleId}`));
    expect(found).toEqual([]);
    // Without the comments, each suppressed rule fires.
    const bare = text.replace(/ ?# hpm-lint .*$/gm, '');
    const fired = lintText(bare, 'haproxy.cfg').results.flatMap((r) => r.diagnostics.map((d) => d.ruleId));
    expect(fired).toEqual(expect.arrayContaining(['program/user-without-group', 'program/shell-syntax', 'program/duplicate-command']));
  });
});
