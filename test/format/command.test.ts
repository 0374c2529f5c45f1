/** hpm-fmt as a user runs it: output, --check, --write, stdin, directories, config files, exit codes. */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runFmt, type FmtRequest } from '../../src/format/command.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hpm-fmt-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function fmt(request: Partial<FmtRequest>, stdin = '') {
  let stdout = '';
  let stderr = '';
  const code = await runFmt(
    { paths: [], write: false, check: false, ...request },
    {
      stdout: (d) => (stdout += typeof d === 'string' ? d : Buffer.from(d).toString('latin1')),
      stderr: (t) => (stderr += t),
      readStdin: async () => Buffer.from(stdin, 'utf8'),
    },
  );
  return { code, stdout, stderr };
}

function file(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const MESSY = 'global\n  daemon\n\n\n\nprogram api\ncommand /usr/bin/api   --port 8080\n';
const CANONICAL = 'global\n    daemon\n\nprogram api\n    command /usr/bin/api --port 8080\n';

describe('hpm-fmt', () => {
  it('prints the formatted file and leaves it alone', async () => {
    const path = file('haproxy.cfg', MESSY);
    expect(await fmt({ paths: [path] })).toEqual({ code: 0, stdout: CANONICAL, stderr: '' });
    expect(readFileSync(path, 'utf8')).toBe(MESSY);
  });

  it('--check lists the files that would change and exits 1', async () => {
    const messy = file('a.cfg', MESSY);
    file('b.cfg', CANONICAL);
    const result = await fmt({ paths: [dir], check: true });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(`${messy}\n`);
    expect((await fmt({ paths: [join(dir, 'b.cfg')], check: true })).code).toBe(0);
  });

  it('--write rewrites in place, keeps the mode, leaves no temp file, and then --check passes', async () => {
    const path = file('haproxy.cfg', MESSY);
    chmodSync(path, 0o640);
    expect((await fmt({ paths: [path], write: true })).code).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(CANONICAL);
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['haproxy.cfg']);
    expect((await fmt({ paths: [path], check: true })).code).toBe(0);
  });

  it('--write through a symlink rewrites the target and keeps the link', async () => {
    const target = file('real.cfg', MESSY);
    const link = join(dir, 'link.cfg');
    symlinkSync(target, link);
    expect((await fmt({ paths: [link], write: true })).code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe(CANONICAL);
  });

  it('never writes a file with a syntax error: diagnostic with file:line:col, exit 2', async () => {
    const broken = 'global\n  log "127.0.0.1 local0\n';
    const path = file('broken.cfg', broken);
    const good = file('good.cfg', MESSY);
    const result = await fmt({ paths: [dir], write: true });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${path}:2:7: unmatched quote`);
    expect(readFileSync(path, 'utf8')).toBe(broken);
    expect(readFileSync(good, 'utf8')).toBe(CANONICAL); // the other files are still formatted
  });

  it('refuses a file with a NUL byte', async () => {
    const path = file('nul.cfg', 'global\n  daemon\0junk\n  maxconn 1\n');
    const result = await fmt({ paths: [path], write: true });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/nul\.cfg:2:\d+: Stray NUL/);
    expect(readFileSync(path, 'utf8')).toBe('global\n  daemon\0junk\n  maxconn 1\n');
  });

  it('reads stdin when no file is given, naming it with --stdin-filepath', async () => {
    expect(await fmt({}, MESSY)).toEqual({ code: 0, stdout: CANONICAL, stderr: '' });
    const bad = await fmt({ stdinFilepath: 'edge.cfg' }, "global\n  log 'x\n");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('edge.cfg:2:7: unmatched quote');
    expect((await fmt({ check: true }, MESSY)).code).toBe(1);
    expect((await fmt({ write: true }, MESSY)).code).toBe(2);
  });

  it('exits 2 on unreadable paths and on several files without --write or --check', async () => {
    expect((await fmt({ paths: [join(dir, 'missing.cfg')] })).code).toBe(2);
    file('a.cfg', MESSY);
    file('b.cfg', MESSY);
    expect((await fmt({ paths: [dir] })).code).toBe(2);
  });

  it('applies --tab-width, --use-tabs and --end-of-line', async () => {
    const path = file('haproxy.cfg', MESSY);
    expect((await fmt({ paths: [path], tabWidth: 2 })).stdout).toBe(CANONICAL.replaceAll('    ', '  '));
    expect((await fmt({ paths: [path], useTabs: true })).stdout).toBe(CANONICAL.replaceAll('    ', '\t'));
    expect((await fmt({ paths: [path], endOfLine: 'crlf' })).stdout).toBe(CANONICAL.replaceAll('\n', '\r\n'));
  });

  it('reads .prettierrc (with overrides) and .editorconfig; command-line options win', async () => {
    const path = file('haproxy.cfg', MESSY);
    file('.prettierrc', JSON.stringify({ overrides: [{ files: '*.cfg', options: { tabWidth: 3 } }] }));
    expect((await fmt({ paths: [path] })).stdout).toBe(CANONICAL.replaceAll('    ', '   '));
    expect((await fmt({ paths: [path], tabWidth: 4 })).stdout).toBe(CANONICAL);
    rmSync(join(dir, '.prettierrc'));
    file('.editorconfig', 'root = true\n[*.cfg]\nindent_style = tab\n');
    expect((await fmt({ paths: [path] })).stdout).toBe(CANONICAL.replaceAll('    ', '\t'));
  });

  it('keeps a latin1 file byte for byte outside the layout', async () => {
    const bytes = Buffer.from('global\n  description caf\xe9\n', 'latin1');
    const path = file('latin1.cfg', bytes);
    expect((await fmt({ paths: [path], write: true })).code).toBe(0);
    expect(readFileSync(path)).toEqual(Buffer.from('global\n    description caf\xe9\n', 'latin1'));
  });

  it('refuses --end-of-line auto when a lone CR would make Prettier pick CR line ends', async () => {
    const path = file('cr.cfg', 'global\r  daemon\n');
    const result = await fmt({ paths: [path], endOfLine: 'auto' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the lone CR in this file picked "cr"');
  });

  it('keeps what follows a lone CR, which HAProxy never reads, and the words a CR separates', async () => {
    const path = file('cr.cfg', 'global\n  daemon\rold text\n  maxconn 10 \rnbthread\n');
    expect((await fmt({ paths: [path], write: true })).code).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe('global\n    daemon\rold text\n    maxconn 10 nbthread\n');
  });
});
