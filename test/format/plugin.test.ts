/** The Prettier plugin through Prettier's own API, as editors and `prettier --plugin` use it. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { afterAll, describe, expect, it } from 'vitest';
import plugin from '../../src/format/plugin.js';

const dir = mkdtempSync(join(tmpdir(), 'hpm-plugin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const format = (text: string, options: prettier.Options = {}) => prettier.format(text, { parser: 'haproxy', plugins: [plugin], ...options });

describe('the hpm Prettier plugin', () => {
  it('claims HAProxy files by name: haproxy.cfg, *haproxy*.cfg, *.cfg under a haproxy directory', async () => {
    for (const name of ['haproxy.cfg', 'haproxy-edge.cfg', 'edge.haproxy.cfg', 'haproxy/edge.cfg', 'etc/haproxy/conf.d/10-programs.cfg']) {
      expect((await prettier.getFileInfo(join(dir, name), { plugins: [plugin] })).inferredParser, name).toBe('haproxy');
    }
  });

  it('leaves other *.cfg files to others (Python setup.cfg, conf.d/*.cfg elsewhere)', async () => {
    for (const name of ['setup.cfg', 'conf.d/10-programs.cfg', 'haproxy/setup.cfg', 'haproxy.cfg.bak']) {
      expect((await prettier.getFileInfo(join(dir, name), { plugins: [plugin] })).inferredParser, name).toBeNull();
    }
  });

  it('formats with a 4-space unit by default', async () => {
    expect(await prettier.format('global\ndaemon\n', { filepath: join(dir, 'haproxy.cfg'), plugins: [plugin] })).toBe('global\n    daemon\n');
  });

  it('throws a SyntaxError with loc and file:line:col on broken input', async () => {
    const error = (await format('global\n    daemon\n    log "x\n', { filepath: 'conf/edge.cfg' }).then(
      () => undefined,
      (e: unknown) => e,
    )) as SyntaxError & { loc: unknown };
    expect(error).toBeInstanceOf(SyntaxError);
    expect(error.message).toContain('conf/edge.cfg:3:9: unmatched quote');
    expect(error.loc).toEqual({ start: { line: 3, column: 9 }, end: { line: 3, column: 10 } });
  });

  it('refuses unbalanced .if blocks, bad escapes and bad variables', async () => {
    await expect(format('global\n.if 1\n    daemon\n')).rejects.toThrow(/non-terminated '.if' block/);
    await expect(format('global\n    description \\xZZ\n')).rejects.toThrow(/hexadecimal/);
    await expect(format('global\n    description "$(pwd)"\n')).rejects.toThrow(/environment variable/);
  });

  it('formats what HAProxy merely rejects elsewhere (missing final LF, keyword out of section)', async () => {
    expect(await format('daemon\nglobal\n  maxconn 1')).toBe('daemon\n\nglobal\n    maxconn 1\n');
  });

  it('refuses endOfLine "cr": HAProxy ends lines at LF only', async () => {
    await expect(format('global\n', { endOfLine: 'cr' })).rejects.toThrow(/endOfLine "cr"/);
  });

  it('keeps the text after a lone CR when Prettier is given the file path', async () => {
    const original = 'global\n  daemon\rold text\n  maxconn 10 \rnbthread\n';
    const path = join(dir, 'cr.cfg');
    writeFileSync(path, original);
    const normalized = original.replace(/\r\n?/g, '\n');
    expect(await format(normalized, { filepath: path })).toBe('global\n    daemon\rold text\n    maxconn 10 nbthread\n');
  });

  it('formats ```haproxy code blocks in Markdown, leaving broken ones alone', async () => {
    const markdown = '- item\n\n  ```haproxy\n  global\n   daemon\n  program a\n  command x\n  ```\n\n```haproxy\nglobal\n    log "x\n```\n';
    const expected = '- item\n\n  ```haproxy\n  global\n    daemon\n\n  program a\n    command x\n  ```\n\n```haproxy\nglobal\n    log "x\n```\n';
    expect(await prettier.format(markdown, { parser: 'markdown', plugins: [plugin] })).toBe(expected);
  });

  it('keeps the cursor of an editor on the same character (formatWithCursor)', async () => {
    const text = 'global\n  daemon\n   maxconn 10   # c\nbackend b\n server  s1 1.2.3.4:80\n';
    const cursorOffset = text.indexOf('s1') + 1;
    const result = await prettier.formatWithCursor(text, { parser: 'haproxy', plugins: [plugin], cursorOffset });
    expect(result.formatted).toBe('global\n    daemon\n    maxconn 10 # c\n\nbackend b\n    server s1 1.2.3.4:80\n');
    expect(result.formatted.slice(result.cursorOffset - 1, result.cursorOffset + 1)).toBe('s1');
  });

  it('keeps the BOM where Prettier puts it back: at the start', async () => {
    expect(await format('\ufeffglobal\n  daemon\n')).toBe('\ufeffglobal\n    daemon\n');
  });
});

describe('formatConfigText', () => {
  it('keeps apart texts that Prettier sees the same way when they are formatted at the same time', async () => {
    const { formatConfigText } = await import('../../src/format/format.js');
    // all three are 'global\n  daemon\nA\n' once Prettier has turned CRs into LFs
    const texts = ['global\n  daemon\rA\n', 'global\n  daemon\nA\n', 'global\r\n  daemon\r\nA\r\n', 'global\n  daemon\rA\n'];
    const results = await Promise.all(texts.map((t) => formatConfigText(t)));
    expect(results).toEqual(['global\n    daemon\rA\n', 'global\n    daemon\n    A\n', 'global\n    daemon\n    A\n', 'global\n    daemon\rA\n']);
  });
});
