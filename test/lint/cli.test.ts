/** The hpm-lint command as users run it (the built bin/hpm-lint.js): flags, files, exit codes. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { skipReason } from '../helpers/env.js';

const root = resolve(__dirname, '../..');
const bin = join(root, 'bin/hpm-lint.js');
const built = existsSync(join(root, 'dist/src/cli/lint.js'));
const skip = skipReason('the hpm-lint CLI tests', built, 'run `npm run build` first (npm test does)');
const tmp = mkdtempSync(join(tmpdir(), 'hpm-lint-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function lint(args: string[], options: { input?: string; env?: Record<string, string>; cwd?: string } = {}) {
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: '/root', ...(options.env ?? {}) };
  const run = spawnSync(process.execPath, [bin, ...args], { cwd: options.cwd ?? root, env, input: options.input ?? '', encoding: 'utf8', timeout: 30_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}
function write(name: string, text: string): string {
  const path = join(tmp, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

describe.skipIf(skip)('hpm-lint', () => {
  it('shows every mistake of fixtures/bad.cfg with file:line:col, a code frame, the rule id and a hint', () => {
    const run = lint(['fixtures/bad.cfg']);
    expect(run.code).toBe(1);
    const json = JSON.parse(lint(['--format', 'json', 'fixtures/bad.cfg']).stdout);
    const ids = json[0].messages.map((m: { ruleId: string }) => m.ruleId);
    for (const id of ['program/empty-argument', 'program/user-without-group', 'hpm/unguarded-extension', 'program/shell-syntax', 'program/extra-argument', 'program/missing-command', 'program/unknown-keyword', 'program/crash-after-error', 'program/unknown-user', 'program/duplicate-name']) {
      expect(ids).toContain(id);
    }
    for (const m of json[0].messages) {
      expect(run.stdout).toContain(`fixtures/bad.cfg:${m.line}:${m.column}`);
      expect(run.stdout).toContain(m.ruleId);
    }
    expect(run.stdout.match(/^ {4}> \d+ \|/gm)?.length).toBe(json[0].messages.length);
    expect(run.stdout.match(/^ {4}hint: /gm)?.length).toBe(json[0].messages.length);
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('exits 0 on a clean file and prints nothing', () => {
    const run = lint(['fixtures/hello.cfg']);
    expect([run.code, run.stdout]).toEqual([0, '']);
  });

  it('exits 2 on usage errors and unreadable files', () => {
    expect(lint(['--bogus', 'fixtures/hello.cfg']).code).toBe(2);
    expect(lint([join(tmp, 'missing.cfg')]).code).toBe(2);
    expect(lint(['--haproxy-version', 'latest', 'fixtures/hello.cfg']).code).toBe(2);
    expect(lint([]).code).toBe(2);
    const run = lint(['--format', 'xml', 'fixtures/hello.cfg']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/hpm-lint:/);
  });

  it('fails on warnings only beyond --max-warnings', () => {
    const path = write('warn.cfg', 'global\n    master-worker\nprogram api\n    command sleep 1\n    user nobody\n');
    expect(lint([path]).code).toBe(0);
    expect(lint(['--max-warnings', '1', path]).code).toBe(0);
    const over = lint(['--max-warnings', '0', path]);
    expect(over.code).toBe(1);
    expect(over.stderr).toMatch(/too many warnings/);
  });

  it('reads --stdin, naming it with --stdin-filename', () => {
    const run = lint(['--stdin', '--stdin-filename', 'etc/haproxy.cfg', '-W'], { input: 'program api\n' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('etc/haproxy.cfg:1:1');
    expect(run.stdout).toContain('program/missing-command');
  });

  it('with --stdin --fix, prints the fixed text', () => {
    const run = lint(['--stdin', '--fix', '--no-host-checks', '-W'], { input: 'program api\n    command sleep 1\n    restart always' });
    expect(run.stdout).toBe('program api\n    command sleep 1\n.if defined(HPM_RUN)\n    restart always\n.endif\n');
    expect(run.code).toBe(0);
  });

  it('reads files and directories given together as one configuration, --each-file one by one', () => {
    const a = write('multi/a.cfg', 'program api\n    command sleep 1\n');
    write('multi/d/1.cfg', 'program api\n    command sleep 1\n');
    write('multi/d/2.cfg', 'program api\n    command sleep 1\n');
    const together = JSON.parse(lint(['-W', '--format', 'json', a, join(tmp, 'multi/d')]).stdout);
    expect(together.map((r: { filePath: string }) => r.filePath)).toEqual([a, join(tmp, 'multi/d/1.cfg'), join(tmp, 'multi/d/2.cfg')]);
    expect(together.map((r: { errorCount: number }) => r.errorCount)).toEqual([0, 1, 1]);
    const each = JSON.parse(lint(['-W', '--each-file', '--format', 'json', a, join(tmp, 'multi/d')]).stdout);
    expect(each.map((r: { errorCount: number }) => r.errorCount)).toEqual([0, 0, 1]);
    expect(each[2].messages[0].ruleId).toBe('program/duplicate-name');
  });

  it('says once that a binary file is not a configuration', () => {
    const run = lint(['/bin/true']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('hpm-lint: /bin/true: binary file, not a configuration\n');
  });

  it('reads standard input for -', () => {
    const run = lint(['-', '-W'], { input: 'program api\n' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('<stdin>:1:1');
  });

  it('finds .hpmrc.json by walking up from the file', () => {
    write('project/.hpmrc.json', JSON.stringify({ haproxyVersion: '3.3', rules: { 'program/user-without-group': 'off' }, users: ['svc-api'], groups: ['svc-api'], defines: ['PROD'] }));
    const path = write('project/conf/haproxy.cfg', '.if defined(PROD)\nprogram api\n    command sleep 1\n    user svc-api\n.endif\n');
    const json = JSON.parse(lint(['--format', 'json', '--no-host-checks', path]).stdout);
    expect(json[0].messages.map((m: { ruleId: string }) => m.ruleId)).toEqual(['program/removed']);
    write('project/bad/.hpmrc.json', '{ "rules": { "program/x": "loud" } }');
    expect(lint([write('project/bad/h.cfg', 'global\n')]).code).toBe(2);
  });

  it('takes users and groups from --passwd and --group files', () => {
    const passwd = write('accounts/passwd', 'svc:x:901:901::/:/bin/false\n');
    const group = write('accounts/group', 'svc:x:901:\n');
    const path = write('accounts/h.cfg', 'program api\n    command sleep 1\n    user svc\n    group svc\n');
    // --no-host-checks reads no host database: without files the names cannot be judged.
    expect(lint(['-W', '--no-host-checks', path]).code).toBe(0);
    expect(lint(['-W', '--no-host-checks', '--passwd', write('accounts/other-passwd', 'other:x:902:902::/:/bin/false\n'), '--group', group, path]).code).toBe(1);
    expect(lint(['-W', '--no-host-checks', '--passwd', passwd, '--group', group, path]).code).toBe(0);
  });

  it('evaluates .if with --define', () => {
    const path = write('define.cfg', '.if defined(EDGE)\nprogram api\n.endif\n');
    expect(lint(['-W', path]).code).toBe(0);
    expect(lint(['-W', '--define', 'EDGE', path]).code).toBe(1);
  });

  it('colours stylish output only for FORCE_COLOR, and NO_COLOR wins', () => {
    expect(lint(['fixtures/bad.cfg'], { env: { FORCE_COLOR: '1' } }).stdout).toContain('\u001b[');
    expect(lint(['fixtures/bad.cfg'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout).not.toContain('\u001b[');
    // The bin has no terminal here: TERM=dumb is checked on the level the CLI computes.
  });

  it('checks commands on this host unless --no-host-checks', () => {
    const path = write('host.cfg', 'global\n    master-worker\nprogram api\n    command /nonexistent/agent\n');
    expect(lint([path]).stdout).toContain('program/command-not-found');
    expect(lint(['--no-host-checks', path]).stdout).toBe('');
  });
});
