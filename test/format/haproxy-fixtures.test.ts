/**
 * The layout fixtures against the real haproxy 2.6: input.cfg and output.cfg get the same
 * `haproxy -c -W` exit code and messages (positions masked). This checks on the binary the
 * tokenizer facts the tricky fixtures rely on (lone CRs, lone backslashes, `\ ` at a line end).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { haproxyAvailable, skipReason } from '../helpers/env.js';
import { haproxyCheck } from './haproxy-check.js';

const fixturesDir = resolve(__dirname, '../../fixtures/format');
const work = mkdtempSync(join(tmpdir(), 'hpm-fmt-fixtures-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const rules = readdirSync(fixturesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  // a missing final LF is fatal for HAProxy: that fixture is meant to change the verdict
  .filter((rule) => readFileSync(join(fixturesDir, rule, 'input.cfg')).at(-1) === 0x0a)
  .sort();

describe.skipIf(skipReason('haproxy -c on the fixtures', haproxyAvailable, 'needs /usr/sbin/haproxy'))('haproxy -c on the layout fixtures', () => {
  it.each(rules)('%s', (rule) => {
    const input = readFileSync(join(fixturesDir, rule, 'input.cfg'));
    const output = readFileSync(join(fixturesDir, rule, 'output.cfg'));
    const before = haproxyCheck(join(work, rule, 'before'), input, { masterWorker: true });
    const after = haproxyCheck(join(work, rule, 'after'), output, { masterWorker: true });
    expect(after).toEqual(before);
  });
});
