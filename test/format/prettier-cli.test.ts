/** `prettier --plugin=<hpm>/dist/src/format/plugin.js`: the plugin as the installed Prettier CLI loads it (needs `npm run build`). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { skipReason } from '../helpers/env.js';

const root = resolve(__dirname, '../..');
const pluginPath = join(root, 'dist/src/format/plugin.js');
const prettierBin = join(root, 'node_modules/.bin/prettier');
const dir = mkdtempSync(join(tmpdir(), 'hpm-prettier-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function prettier(...args: string[]) {
  const run = spawnSync(prettierBin, [`--plugin=${pluginPath}`, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const built = existsSync(pluginPath) && existsSync(prettierBin);

describe.skipIf(skipReason('prettier CLI tests', built, 'dist/src/format/plugin.js is missing: run `npm run build` first'))('prettier --plugin=hpm', () => {
  it('--check fails on a messy file, --write fixes it, --check then passes', () => {
    const path = join(dir, 'haproxy.cfg');
    writeFileSync(path, 'global\n  daemon\n\n\nprogram api\ncommand /usr/bin/api\n');
    const before = prettier('--check', 'haproxy.cfg');
    expect(before.code).toBe(1);
    expect(before.stderr).toContain('haproxy.cfg');
    expect(prettier('--write', 'haproxy.cfg').code).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe('global\n    daemon\n\nprogram api\n    command /usr/bin/api\n');
    expect(prettier('--check', 'haproxy.cfg').code).toBe(0);
  });

  it('reports a syntax error with file:line:col, exits 2 and leaves the file alone', () => {
    const broken = 'global\n    log "127.0.0.1\n';
    const path = join(dir, 'haproxy-broken.cfg');
    writeFileSync(path, broken);
    const run = prettier('--write', 'haproxy-broken.cfg');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('haproxy-broken.cfg:2:9: unmatched quote');
    expect(readFileSync(path, 'utf8')).toBe(broken);
  });

  it('keeps the text after a lone CR in a file it rewrites', () => {
    const path = join(dir, 'haproxy-cr.cfg');
    writeFileSync(path, 'global\n  daemon\rold text\n');
    expect(prettier('--write', 'haproxy-cr.cfg').code).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe('global\n    daemon\rold text\n');
  });
});
