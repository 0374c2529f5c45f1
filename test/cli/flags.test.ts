/**
 * One flag vocabulary across hpm-lint, hpm-fmt and hpm-run (the built bins, as users run them):
 * -v/--version, -h/--help, - for standard input, -f <file> names a configuration, -c checks,
 * and the old spellings still work with a deprecation warning.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { skipReason } from '../helpers/env.js';

const root = resolve(__dirname, '../..');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const built = existsSync(join(root, 'dist/src/cli/lint.js'));
const tmp = mkdtempSync(join(tmpdir(), 'hpm-cli-flags-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const COMMANDS = ['hpm-lint', 'hpm-fmt', 'hpm-run'] as const;
type Command = (typeof COMMANDS)[number];

function run(command: Command, args: string[], input = '') {
  const result = spawnSync(process.execPath, [join(root, 'bin', `${command}.js`), ...args], { cwd: tmp, input, encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const MESSY = 'global\n  master-worker\n\nprogram api\ncommand /bin/true\n';
const broken = join(tmp, 'broken.cfg');
writeFileSync(broken, 'program api\n');
const messy = join(tmp, 'haproxy.cfg');
writeFileSync(messy, MESSY);

describe.skipIf(skipReason('the CLI flag tests', built, 'run `npm run build` first (npm test does)'))('the three commands', () => {
  it.each(COMMANDS)('%s answers -v and --version with the package version', (command) => {
    for (const flag of ['-v', '--version']) expect(run(command, [flag])).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it.each(COMMANDS)('%s answers -h and --help with usage naming -f, -c and -', (command) => {
    for (const flag of ['-h', '--help']) {
      const help = run(command, [flag]);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`${command} [options] [-f] <`);
      expect(help.stdout).toMatch(/-f, --file/);
      expect(help.stdout).toMatch(/-c, --check/);
      expect(help.stdout).toMatch(/-v, --version/);
    }
  });

  it('reads standard input for - in every command', () => {
    const lint = run('hpm-lint', ['--no-host-checks', '-'], 'program api\n');
    expect(lint.code).toBe(1);
    expect(lint.stdout).toContain('<stdin>:1:1');
    expect(lint.stdout).toContain('program/missing-command');
    expect(run('hpm-fmt', ['-'], MESSY)).toMatchObject({ code: 0, stdout: 'global\n    master-worker\n\nprogram api\n    command /bin/true\n' });
    expect(run('hpm-run', ['-c', '-f', '-'], 'program api\n    command /bin/true\n')).toMatchObject({ code: 0, stdout: 'Configuration file is valid\n' });
    expect(run('hpm-run', ['-c', '-'], 'program api\n')).toMatchObject({ code: 1 });
  });

  it('hpm-run refuses - without -c: a supervised configuration is read again on reload', () => {
    const refused = run('hpm-run', ['-f', '-'], 'program api\n    command /bin/true\n');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('works with -c only');
  });

  it('takes -f <file> as a configuration file in every command', () => {
    const lint = run('hpm-lint', ['--no-host-checks', '-f', broken]);
    expect(lint.code).toBe(1);
    expect(lint.stdout).toContain('broken.cfg:1:1');
    expect(run('hpm-fmt', ['-f', messy]).stdout).toBe('global\n    master-worker\n\nprogram api\n    command /bin/true\n');
    expect(run('hpm-run', ['-c', '-f', broken]).code).toBe(1);
  });

  it('-c checks in every command: hpm-fmt -c lists and sums up, hpm-lint -c refuses --fix, hpm-run -c only validates', () => {
    const fmt = run('hpm-fmt', ['-c', messy]);
    expect(fmt).toMatchObject({ code: 1, stdout: `${messy}\n` });
    expect(fmt.stderr.trim().split('\n').at(-1)).toBe('Code style issues found in 1 file. Run hpm-fmt --write to fix.');
    const clean = join(tmp, 'clean.cfg');
    writeFileSync(clean, 'global\n    master-worker\n');
    expect(run('hpm-fmt', ['--check', clean])).toMatchObject({ code: 0, stdout: '', stderr: 'All matched files use hpm-fmt code style!\n' });
    expect(run('hpm-lint', ['-c', '--no-host-checks', clean])).toMatchObject({ code: 0 });
    expect(run('hpm-lint', ['-c', '--fix', clean]).code).toBe(2);
    expect(run('hpm-run', ['-c', clean])).toMatchObject({ code: 0, stdout: 'Configuration file is valid\n' });
  });

  it('hpm-lint still takes -f <format> and -c <config.json> for one release, warning', () => {
    const oldFormat = run('hpm-lint', ['--no-host-checks', '-f', 'json', broken]);
    expect(oldFormat.code).toBe(1);
    expect(JSON.parse(oldFormat.stdout)[0].messages[0].ruleId).toBe('program/missing-command');
    expect(oldFormat.stderr).toContain('hpm-lint: warning: -f json is deprecated');
    const rc = join(tmp, 'lint.json');
    writeFileSync(rc, JSON.stringify({ rules: { 'program/missing-command': 'off' } }));
    const oldConfig = run('hpm-lint', ['--no-host-checks', '-W', '-c', rc, broken]);
    expect(oldConfig.stderr).toContain('hpm-lint: warning: -c');
    expect(oldConfig.stdout).not.toContain('program/missing-command');
  });

  it('hpm-lsp answers -v and -h, and refuses unknown flags, without starting a server', () => {
    const lsp = (args: string[]) => {
      const result = spawnSync(process.execPath, [join(root, 'bin/hpm-lsp.js'), ...args], { cwd: tmp, encoding: 'utf8', timeout: 30_000 });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    };
    expect(lsp(['-v'])).toMatchObject({ code: 0, stdout: `${version}\n` });
    expect(lsp(['-h']).stdout).toContain('hpm-lsp [--stdio]');
    expect(lsp(['--tcp'])).toMatchObject({ code: 2 });
  });

  it('exits 2 with the command name on an unknown flag', () => {
    for (const command of COMMANDS) {
      const bad = run(command, ['--no-such-flag', 'x.cfg']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain(`${command}: Unknown argument`);
    }
  });
});

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

describe.skipIf(skipReason('the hpm-fmt terminal test', built && hasScript, 'needs the built bins and script(1) from util-linux'))('hpm-fmt on a terminal', () => {
  it('prints its usage instead of waiting for input', () => {
    // script(1) gives hpm-fmt a terminal as stdin; with nothing typed it must not wait.
    const result = spawnSync('script', ['-qec', `${process.execPath} ${join(root, 'bin/hpm-fmt.js')}`, '/dev/null'], { encoding: 'utf8', timeout: 20_000 });
    expect(result.status).toBe(2);
    expect(result.stdout).toContain('hpm-fmt [options] [-f] <file|dir|->');
  });
});
