/** The engine's promises: two readers reported once, versions, defines, rule settings, directories. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintPaths } from '../../src/lint/index.js';
import { fileAccounts } from '../../src/model/index.js';
import { lintText, ruleIdsOf } from './rule-helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'hpm-lint-engine-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('two readers', () => {
  it('checks a program only hpm-run reads', () => {
    const text = '.if defined(HPM_RUN)\nprogram api\n    user nosuchuser\n    group nogroup\n.endif\n';
    expect(ruleIdsOf(lintText(text, 'a.cfg'))).toEqual(['program/missing-command', 'program/unknown-user']);
  });
  it('reports a finding both readers see once', () => {
    const text = 'program api\n    command sleep 1\n    command sleep 2\n';
    expect(ruleIdsOf(lintText(text, 'a.cfg'))).toEqual(['program/duplicate-command']);
  });
  it('checks only the reader asked for', () => {
    const text = '.if defined(HPM_RUN)\nprogram api\n.endif\n';
    expect(ruleIdsOf(lintText(text, 'a.cfg', { view: 'haproxy' }))).toEqual([]);
    expect(ruleIdsOf(lintText(text, 'a.cfg', { view: 'hpm-run' }))).toEqual(['program/missing-command']);
  });
  it('ignores an HPM_RUN set in the environment for the HAProxy reader', () => {
    const text = 'program api\n    command sleep 1\n.if defined(HPM_RUN)\n    restart sometimes\n.endif\n';
    expect(ruleIdsOf(lintText(text, 'a.cfg', { env: { HPM_RUN: '1' } }))).toEqual(['hpm/invalid-extension']);
  });
  it('evaluates .if with --define NAME[=VALUE]', () => {
    const text = '.if defined(STAGING)\nprogram api\n.endif\n.if streq("$ROLE",edge)\nprogram edge\n.endif\n';
    expect(ruleIdsOf(lintText(text, 'a.cfg'))).toEqual([]);
    expect(ruleIdsOf(lintText(text, 'a.cfg', { defines: { STAGING: '1', ROLE: 'edge' } }))).toEqual(['program/missing-command', 'program/missing-command']);
  });
});

describe('HAProxy versions', () => {
  const text = 'program api\n    command sleep 1\n    user nobody\n    group nogroup\n';
  it('with no version, checks what holds for every version with program', () => {
    expect(ruleIdsOf(lintText(text, 'a.cfg'))).toEqual([]);
  });
  it('2.0 did not know user and group yet', () => {
    // Both are unknown keywords to 2.0: the second is an error HAProxy reports, not a crash.
    expect(ruleIdsOf(lintText(text, 'a.cfg', { haproxyVersion: '2.0' }))).toEqual(['program/unknown-keyword', 'program/unknown-keyword']);
  });
  it('3.1 and 3.2 need expose-deprecated-directives above the first program', () => {
    expect(ruleIdsOf(lintText(text, 'a.cfg', { haproxyVersion: '3.1' }))).toEqual(['program/deprecated']);
    const below = text + 'global\n    expose-deprecated-directives\n';
    expect(ruleIdsOf(lintText(below, 'a.cfg', { haproxyVersion: '3.2' }))).toEqual(['program/deprecated']);
    expect(ruleIdsOf(lintText('global\n    expose-deprecated-directives\n' + text, 'a.cfg', { haproxyVersion: '3.2' }))).toEqual([]);
  });
  it('3.3 removed program; a guarded section is fine, and still checked for hpm-run', () => {
    expect(ruleIdsOf(lintText(text, 'a.cfg', { haproxyVersion: '3.3', masterWorker: false }))).toEqual(['program/removed']);
    const guarded = '.if defined(HPM_RUN)\nprogram api\n    user nobody\n.endif\n';
    expect(ruleIdsOf(lintText(guarded, 'a.cfg', { haproxyVersion: '3.3', masterWorker: false }))).toEqual(['program/missing-command']);
  });
});

describe('rule settings and accounts', () => {
  const text = 'program api\n    command sleep 1\n    user nobody\n';
  it('turns a rule off, or changes its severity', () => {
    expect(lintText(text, 'a.cfg').warningCount).toBe(1);
    expect(lintText(text, 'a.cfg', { rules: { 'program/user-without-group': 'off' } }).warningCount).toBe(0);
    const asError = lintText(text, 'a.cfg', { rules: { 'program/user-without-group': 'error' } });
    expect([asError.errorCount, asError.warningCount]).toEqual([1, 0]);
  });
  it('looks users and groups up in passwd/group files', () => {
    const passwd = join(tmp, 'passwd');
    const group = join(tmp, 'group');
    writeFileSync(passwd, 'api:x:990:990:API:/srv/api:/usr/sbin/nologin\n');
    writeFileSync(group, 'api:x:990:\n');
    const accounts = fileAccounts({ passwdFile: passwd, groupFile: group });
    const config = 'program api\n    command sleep 1\n    user api\n    group api\n';
    expect(ruleIdsOf(lintText(config, 'a.cfg', { accounts }))).toEqual([]);
    expect(ruleIdsOf(lintText(config.replace(/api$/gm, 'nobody'), 'a.cfg', { accounts }))).toEqual(['program/unknown-user', 'program/unknown-group']);
  });
});

describe('several files', () => {
  it('reads a directory as one configuration, its *.cfg in C order', () => {
    const dir = join(tmp, 'conf.d');
    mkdirSync(dir);
    writeFileSync(join(dir, 'b.cfg'), 'program api\n    command sleep 2\n');
    writeFileSync(join(dir, 'A.cfg'), 'global\n    setenv PORT 8081\nprogram api\n    command echo "$PORT"\n');
    writeFileSync(join(dir, 'notes.txt'), 'program\n');
    const result = lintPaths([dir], { masterWorker: true, hostChecks: false });
    expect(result.results.map((r) => r.file)).toEqual([join(dir, 'A.cfg'), join(dir, 'b.cfg')]);
    const dup = result.results[1]!.diagnostics;
    expect(dup.map((d) => [d.ruleId, d.span.start.line])).toEqual([['program/duplicate-name', 1]]);
    expect(dup[0]!.hint).toContain(`${join(dir, 'A.cfg')}:3`);
  });
});
