/** `--fix`: the safe fixes, re-linted clean of what they fixed, written atomically. */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixSources, runLintForTest } from './cli-helpers.js';
import { haproxyAvailable } from '../helpers/env.js';
import { ruleIdsOf, TEST_ACCOUNTS } from './rule-helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'hpm-lint-fix-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const options = { masterWorker: true, hostChecks: false, accounts: TEST_ACCOUNTS, env: {} };
const fix = (text: string, extra = {}) => fixSources([{ file: 'a.cfg', text, encoding: 'utf8' }], { ...options, ...extra });

describe('fixes', () => {
  it('appends the missing final newline', () => {
    const outcome = fix('program api\n    command sleep 1');
    expect(outcome.sources[0]!.text).toBe('program api\n    command sleep 1\n');
    expect(ruleIdsOf(outcome.result)).toEqual([]);
  });

  it('wraps each program section in the HPM_RUN guard for HAProxy 3.3, leaving comments and other sections out', () => {
    const text = 'global\n    log stdout local0\n\n# the API\nprogram api\n    command sleep 1\n.if defined(HPM_RUN)\n    restart always\n.endif\n\n# traffic\nfrontend fe\n    bind :80\nprogram last\n    command sleep 2';
    const outcome = fix(text, { haproxyVersion: '3.3' });
    expect(outcome.sources[0]!.text).toBe(
      'global\n    log stdout local0\n\n# the API\n.if defined(HPM_RUN)\nprogram api\n    command sleep 1\n.if defined(HPM_RUN)\n    restart always\n.endif\n.endif\n\n# traffic\nfrontend fe\n    bind :80\n.if defined(HPM_RUN)\nprogram last\n    command sleep 2\n.endif\n',
    );
    expect(ruleIdsOf(outcome.result)).toEqual([]);
  });

  it('wraps a run of unguarded extension lines once', () => {
    const text = 'program api\n    command sleep 1\n    restart on-failure\n    stop-timeout 30s\n    user nobody\n    group nogroup\n';
    const outcome = fix(text);
    expect(outcome.sources[0]!.text).toBe('program api\n    command sleep 1\n.if defined(HPM_RUN)\n    restart on-failure\n    stop-timeout 30s\n.endif\n    user nobody\n    group nogroup\n');
    expect(ruleIdsOf(outcome.result)).toEqual([]);
  });

  it.skipIf(!haproxyAvailable)('gives a file haproxy -c -W accepts', () => {
    const path = join(tmp, 'ext.cfg');
    writeFileSync(path, 'program api\n    command sleep 1\n    restart always\n    stop-signal INT\n');
    expect(spawnSync('haproxy', ['-c', '-W', '-f', path]).status).toBe(1);
    const run = runLintForTest(['--fix', '--no-host-checks', '-W', path]);
    expect(run.exitCode).toBe(0);
    expect(spawnSync('haproxy', ['-c', '-W', '-f', path]).status).toBe(0);
  });

  it('writes through a temp file and a rename, keeping the mode and leaving no temp file', () => {
    const dir = mkdtempSync(join(tmp, 'atomic-'));
    const path = join(dir, 'haproxy.cfg');
    writeFileSync(path, 'program api\n    command sleep 1');
    chmodSync(path, 0o640);
    const inodeBefore = statSync(path).ino;
    const run = runLintForTest(['--fix', '--no-host-checks', '-W', path]);
    expect(run.exitCode).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe('program api\n    command sleep 1\n');
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(statSync(path).ino).not.toBe(inodeBefore);
    expect(readdirSync(dir)).toEqual(['haproxy.cfg']);
  });

  it('leaves a file without fixable problems untouched', () => {
    const path = join(tmp, 'untouched.cfg');
    writeFileSync(path, 'program api\n');
    const inode = statSync(path).ino;
    expect(runLintForTest(['--fix', '--no-host-checks', '-W', path]).exitCode).toBe(1);
    expect(statSync(path).ino).toBe(inode);
  });
});
