/** The hpm-lint command's logic in-process: how arguments become configurations, and colours. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { colorLevelFor } from '../../src/color-level.js';
import { runLintForTest } from './cli-helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'hpm-lint-command-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
function write(name: string, text: string): string {
  const path = join(tmp, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}
function findingsOf(run: ReturnType<typeof runLintForTest>) {
  return (run.result?.results ?? []).flatMap((r) => r.diagnostics.map((d) => `${r.file}:${d.span.start.line}:${d.span.start.column} ${d.ruleId} ${d.message}`));
}

describe('files given together', () => {
  // What pre-commit and shell globs pass: conf.d/00-global.cfg conf.d/10-api.cfg.
  const global = write('conf.d/00-global.cfg', 'global\n    master-worker\nprogram api\n    command sleep 1\n');
  const api = write('conf.d/10-api.cfg', 'program api\n    command sleep 2\n');

  it('are one configuration, in order, like haproxy -f a -f b', () => {
    const run = runLintForTest(['--no-host-checks', global, api]);
    expect(findingsOf(run)).toEqual([`${api}:1:9 program/duplicate-name 'api' program section already exists in the configuration.`]);
    expect(run.exitCode).toBe(1);
  });

  it('with --each-file, are linted one by one (no master-worker seen in the second)', () => {
    const run = runLintForTest(['--no-host-checks', global, api], { eachFile: true });
    expect(findingsOf(run).map((f) => f.split(' ').slice(0, 2).join(' '))).toEqual([`${api}:1:1 program/requires-master-worker`]);
  });
});

describe('bad input', () => {
  it('refuses a binary file in one line', () => {
    const run = runLintForTest(['/bin/true']);
    expect([run.exitCode, run.output, run.errors]).toEqual([2, '', 'hpm-lint: /bin/true: binary file, not a configuration\n']);
  });
  it('still lints a configuration with a stray NUL byte', () => {
    const path = write('nul.cfg', 'global\n    # a\0b\n    master-worker\n');
    expect(findingsOf(runLintForTest(['--no-host-checks', path])).map((f) => f.split(' ')[1])).toEqual(['syntax/nul-byte']);
  });
  it('reads standard input for -', () => {
    const run = runLintForTest(['-W', '-'], { readStdin: () => Buffer.from('program api\n') });
    expect(findingsOf(run)).toEqual(["<stdin>:1:1 program/missing-command The program section 'api' lacks a command to launch."]);
  });
  it('gives no colour to TERM=dumb, unless FORCE_COLOR', () => {
    expect(colorLevelFor({ TERM: 'dumb' }, true)).toBe(0);
    expect(colorLevelFor({ TERM: 'xterm' }, true)).toBe(1);
    expect(colorLevelFor({ TERM: 'dumb', FORCE_COLOR: '1' }, true)).toBe(1);
  });
});

describe('--haproxy-version', () => {
  // expose-deprecated-directives exists from 3.1 on, where program needs it; 2.6 refuses it.
  const path26 = write('version26.cfg', 'global\n    master-worker\nprogram api\n    command sleep 1\n');
  const path32 = write('version32.cfg', 'global\n    master-worker\n    expose-deprecated-directives\nprogram api\n    command sleep 1\n');
  it.each(['2.6', '2.6.12', '3.2.0'])('accepts %s', (version) => {
    const path = version.startsWith('2.') ? path26 : path32;
    expect(runLintForTest(['--no-host-checks', '--haproxy-version', version, path]).exitCode).toBe(0);
  });
  it.each(['2', '2.6.12.1', 'v2.6', '2.6-dev'])('refuses %s with exit 2', (version) => {
    const run = runLintForTest(['--no-host-checks', '--haproxy-version', version, path26]);
    expect([run.exitCode, run.errors]).toEqual([2, `hpm-lint: invalid HAProxy version '${version}': expected X.Y or X.Y.Z, e.g. 2.6 or 2.6.12\n`]);
  });
});

describe('--no-host-checks reads nothing from this machine', () => {
  const path = write('host-free.cfg', 'global\n    master-worker\nprogram api\n    command /usr/bin/agent "$EXTRA_ARGS" --verbose\n    user svc-not-on-this-host\n    group svc-not-on-this-host\n');
  const rules = (run: ReturnType<typeof runLintForTest>) => findingsOf(run).map((f) => f.split(' ').slice(0, 2).join(' ').replace(`${path}:`, ''));

  it('does not look users and groups up', () => {
    expect(rules(runLintForTest(['--no-host-checks', path], { env: { EXTRA_ARGS: '-q' } }))).not.toContain('5:10 program/unknown-user');
    // On the host they are looked up (and are missing here).
    expect(rules(runLintForTest([path], { env: { PATH: '/usr/bin:/bin', EXTRA_ARGS: '-q' } }))).toContain('5:10 program/unknown-user');
  });
  it('reports "$EXTRA_ARGS" as depending on the environment, whatever the linting shell has', () => {
    for (const env of [{}, { EXTRA_ARGS: '' }, { EXTRA_ARGS: '-q' }]) {
      const run = runLintForTest(['--no-host-checks', path], { env });
      expect(findingsOf(run)).toEqual([`${path}:4:28 program/environment-dependent 'EXTRA_ARGS' depends on the environment HAProxy runs with, which this run does not know`]);
      expect(run.exitCode).toBe(0);
    }
  });
  it('judges it against --env and --env-file', () => {
    expect(rules(runLintForTest(['--no-host-checks', path], { envs: ['EXTRA_ARGS=-q'] }))).toEqual([]);
    expect(rules(runLintForTest(['--no-host-checks', path], { envs: ['EXTRA_ARGS='] }))).toEqual(['4:28 program/empty-argument']);
    const envFile = write('prod.env', '# production\nexport EXTRA_ARGS="-q"\n');
    expect(rules(runLintForTest(['--no-host-checks', path], { envFile }))).toEqual([]);
    expect(rules(runLintForTest(['--no-host-checks', path], { envFile: write('empty.env', 'OTHER=1\n') }))).toEqual(['4:28 program/empty-argument']);
  });
  it('refuses a malformed --env (exit 2)', () => {
    expect(runLintForTest(['--no-host-checks', path], { envs: ['1X=2'] }).exitCode).toBe(2);
  });
});

describe('--no-host-checks and .if on the environment', () => {
  const path = write('staging.cfg', 'global\n    master-worker\n.if defined(STAGING)\nprogram api\n    command sleep 1\n.endif\n.if defined(HPM_RUN)\n.endif\n');
  it('reports a condition on an unknown variable, not on HPM_RUN', () => {
    const run = runLintForTest(['--no-host-checks', path], { env: { STAGING: '1' } });
    expect(findingsOf(run)).toEqual([`${path}:3:1 program/environment-dependent this '.if' depends on 'STAGING' in the environment HAProxy runs with, which this run does not know`]);
  });
  it('judges it with --define or --env', () => {
    expect(findingsOf(runLintForTest(['--no-host-checks', path], { defines: ['STAGING'] }))).toEqual([]);
    expect(findingsOf(runLintForTest(['--no-host-checks', path], { envs: ['OTHER=1'] }))).toEqual([]);
  });
});
