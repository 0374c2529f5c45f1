/**
 * Every real configuration of the corpus that haproxy 2.6 accepts (`haproxy -c` exit 0, or 2 =
 * valid without a listener) must get no error from
 * `hpm-lint --haproxy-version 2.6 --master-worker --no-host-checks`.
 */
import { describe, expect, it } from 'vitest';
import { lintPaths } from '../../src/lint/index.js';
import { corpusAvailable, corpusEntries } from '../helpers/corpus.js';
import { skipReason } from '../helpers/env.js';

const accepted = corpusEntries().filter((e) => e.haproxy26Rc === 0 || e.haproxy26Rc === 2);
// Files haproxy -c 2.6 (run without -W) refused for a program or line-end reason hpm-lint knows.
const refused = corpusEntries().filter((e) => e.haproxy26Rc === 1 && ['program', 'no_final_newline'].includes(e.haproxy26Class));
const skip = skipReason('the corpus lint test', corpusAvailable, '../shared/corpus is not present');

describe.skipIf(skip)('corpus files haproxy 2.6 accepts', () => {
  it('are a real sample', () => {
    expect(accepted.length).toBeGreaterThan(20);
  });
  it.each(accepted.map((e) => [e.filename, e.path] as const))('%s: no error', (_name, path) => {
    const result = lintPaths([path], { haproxyVersion: '2.6', masterWorker: true, hostChecks: false });
    const errors = result.results.flatMap((r) => r.diagnostics).filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.span.start.line}:${d.span.start.column} ${d.ruleId} ${d.message}`)).toEqual([]);
  });
});

describe.skipIf(skip)('corpus files haproxy 2.6 refused over a program or the final newline', () => {
  it.each(refused.map((e) => [e.filename, e.path, e.haproxy26Class] as const))('%s: an error', (_name, path, why) => {
    const result = lintPaths([path], { haproxyVersion: '2.6', hostChecks: false });
    const ids = result.results.flatMap((r) => r.diagnostics).filter((d) => d.severity === 'error').map((d) => d.ruleId);
    expect(ids).toContain(why === 'program' ? 'program/requires-master-worker' : 'syntax/missing-final-newline');
  });
});

describe.skipIf(skip)('every corpus file', () => {
  it('lints without throwing, in both readers', () => {
    for (const entry of corpusEntries()) {
      expect(() => lintPaths([entry.path], { hostChecks: false }), entry.filename).not.toThrow();
    }
  });
});
