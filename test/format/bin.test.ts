/** The hpm-fmt executable end to end (bin/hpm-fmt.js loads dist/: needs `npm run build`). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { skipReason } from '../helpers/env.js';

const root = resolve(__dirname, '../..');
const bin = join(root, 'bin/hpm-fmt.js');
const built = existsSync(join(root, 'dist/src/cli/fmt.js'));
const dir = mkdtempSync(join(tmpdir(), 'hpm-fmt-bin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function hpmFmt(args: string[], input?: string) {
  const run = spawnSync(process.execPath, [bin, ...args], { cwd: dir, input, encoding: 'utf8', timeout: 60_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe.skipIf(skipReason('hpm-fmt executable tests', built, 'dist/ is missing: run `npm run build` first'))('bin/hpm-fmt.js', () => {
  it('formats stdin to stdout', () => {
    expect(hpmFmt([], 'global\n daemon\n')).toMatchObject({ code: 0, stdout: 'global\n    daemon\n' });
  });

  it('--check exits 1 and names the file; --write fixes it; --check then exits 0', () => {
    writeFileSync(join(dir, 'haproxy.cfg'), 'global\n daemon\n');
    expect(hpmFmt(['--check', 'haproxy.cfg'])).toMatchObject({ code: 1, stdout: 'haproxy.cfg\n' });
    expect(hpmFmt(['--write', 'haproxy.cfg']).code).toBe(0);
    expect(readFileSync(join(dir, 'haproxy.cfg'), 'utf8')).toBe('global\n    daemon\n');
    expect(hpmFmt(['--check', 'haproxy.cfg']).code).toBe(0);
  });

  it('exits 2 on usage errors, 0 on --help', () => {
    expect(hpmFmt(['--bogus']).code).toBe(2);
    expect(hpmFmt(['--write', '--check', 'x.cfg']).code).toBe(2);
    expect(hpmFmt(['--end-of-line', 'cr']).code).toBe(2);
    expect(hpmFmt(['--tab-width', '-1'], 'global\n').code).toBe(2);
    const help = hpmFmt(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--stdin-filepath');
  });
});
