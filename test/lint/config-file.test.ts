/** The project config file is checked like the command line: a typo is an error, never ignored. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIG_KEYS, readConfigFile } from '../../src/lint/config.js';
import { RULES } from '../../src/lint/index.js';
import { runLintForTest } from './cli-helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'hpm-lint-config-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const schema = JSON.parse(readFileSync(resolve(__dirname, '../../docs/hpmrc.schema.json'), 'utf8'));

function projectWith(name: string, config: unknown): { cfg: string; rc: string } {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  const rc = join(dir, '.hpmrc.json');
  writeFileSync(rc, JSON.stringify(config));
  const cfg = join(dir, 'haproxy.cfg');
  writeFileSync(cfg, 'global\n    master-worker\nprogram api\n    command sleep 1\n');
  return { cfg, rc };
}

describe('.hpmrc.json', () => {
  it('refuses an unknown key, naming the file and the key (exit 2)', () => {
    const { cfg, rc } = projectWith('misspelt-key', { haproxyversion: '3.3' });
    const run = runLintForTest(['--no-host-checks', cfg]);
    expect([run.exitCode, run.output, run.errors]).toEqual([2, '', `hpm-lint: ${rc}: unknown key 'haproxyversion' (did you mean 'haproxyVersion'?)\n`]);
  });
  it('refuses an unknown rule id (exit 2)', () => {
    const { cfg, rc } = projectWith('misspelt-rule', { rules: { 'program/user-without-grop': 'off' } });
    const run = runLintForTest(['--no-host-checks', cfg]);
    expect([run.exitCode, run.errors]).toEqual([2, `hpm-lint: ${rc}: unknown rule 'program/user-without-grop' in 'rules' (did you mean 'program/user-without-group'?)\n`]);
  });
  it('refuses a version that is not X.Y or X.Y.Z (exit 2)', () => {
    const { cfg } = projectWith('bad-version', { haproxyVersion: 'v2.6' });
    expect(runLintForTest(['--no-host-checks', cfg]).exitCode).toBe(2);
  });
  it('accepts every documented key, and $schema', () => {
    const { cfg } = projectWith('all-keys', {
      $schema: './node_modules/hpm/docs/hpmrc.schema.json',
      haproxyVersion: '2.6.12',
      masterWorker: true,
      hostChecks: false,
      rules: { 'program/user-without-group': 'off' },
      users: ['svc'],
      groups: ['svc'],
      defines: ['STAGING', 'ROLE=edge'],
    });
    expect(runLintForTest([cfg]).exitCode).toBe(0);
  });
});

describe('docs/hpmrc.schema.json', () => {
  it('describes exactly the keys the reader accepts, and closes the object', () => {
    expect(Object.keys(schema.properties).sort()).toEqual([...CONFIG_KEYS].sort());
    expect(schema.additionalProperties).toBe(false);
  });
  it('admits every rule id and setting', () => {
    const pattern = new RegExp(schema.properties.rules.propertyNames.pattern);
    for (const rule of RULES) expect(pattern.test(rule.meta.id), rule.meta.id).toBe(true);
    expect(schema.properties.rules.additionalProperties.enum).toEqual(['off', 'warn', 'error']);
  });
  it('takes the versions the reader takes', () => {
    const pattern = new RegExp(schema.properties.haproxyVersion.pattern);
    expect(['2.6', '2.6.12', '3.2'].map((v) => pattern.test(v))).toEqual([true, true, true]);
    expect(['2', 'v2.6', '2.6.12.1'].map((v) => pattern.test(v))).toEqual([false, false, false]);
  });
  it('reads the example of docs/lint.md', () => {
    const doc = readFileSync(resolve(__dirname, '../../docs/lint.md'), 'utf8');
    const example = /## Config file[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)![1]!;
    const path = join(tmp, 'doc-example.json');
    writeFileSync(path, example);
    expect(() => readConfigFile(path)).not.toThrow();
  });
});
