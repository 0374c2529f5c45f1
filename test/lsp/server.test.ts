/**
 * hpm-lsp as an editor talks to it: the built server over stdio, driven by
 * vscode-languageserver-protocol's client connection.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, CompletionItem, Diagnostic, DocumentSymbol, Hover, Location, TextEdit } from 'vscode-languageserver-protocol';
import { skipReason } from '../helpers/env.js';
import { root, startLsp, type LspSession } from './helpers.js';

const built = existsSync(join(root, 'dist/src/lsp/server.js'));
const dir = mkdtempSync(join(tmpdir(), 'hpm-lsp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Applies LSP edits (non-overlapping) to a text. */
function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split(/(?<=\n)/);
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).join('').length + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

const MESSY = ['global', '  master-worker', '', '', 'program api', 'command /bin/true', '    option start-on-reload', '', 'program worker', '  command "/bin/sh" -c "sleep 1"', ''].join('\n');
const FORMATTED = ['global', '    master-worker', '', 'program api', '    command /bin/true', '    option start-on-reload', '', 'program worker', '    command "/bin/sh" -c "sleep 1"', ''].join('\n');

describe.skipIf(skipReason('the hpm-lsp tests', built, 'run `npm run build` first (npm test does)'))('hpm-lsp over stdio', () => {
  let lsp: LspSession;
  let n = 0;
  const open = async (text: string, name = `haproxy-${++n}.cfg`) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    const uri = pathToFileURL(path).href;
    await lsp.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'haproxy', version: 1, text } });
    return uri;
  };

  beforeAll(async () => {
    lsp = await startLsp({ hostChecks: false });
  });
  afterAll(async () => lsp?.close());

  it('publishes diagnostics with rule id, line, severity and a link to the rule page', async () => {
    const uri = await open('global\n    master-worker\n\nprogram api\n    user nobody\n');
    const { diagnostics } = await lsp.diagnostics(uri);
    const missing = diagnostics.find((d) => d.code === 'program/missing-command');
    expect(missing).toMatchObject({ severity: 1, source: 'hpm-lint', range: { start: { line: 3 } } });
    expect(missing!.codeDescription!.href).toMatch(/^file:\/\/.*\/docs\/rules\/program\/missing-command\.md$/);
    expect(existsSync(new URL(missing!.codeDescription!.href))).toBe(true);
  });

  it('re-lints as the text changes (incremental edits)', async () => {
    const uri = await open('global\n    master-worker\n\nprogram api\n    command /bin/true\n');
    expect((await lsp.diagnostics(uri, 1)).diagnostics).toEqual([]);
    await lsp.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 4, character: 4 }, end: { line: 4, character: 11 } }, text: 'user' }],
    });
    const { diagnostics } = await lsp.diagnostics(uri, 2);
    expect(diagnostics.map((d) => [d.code, d.range.start.line])).toContainEqual(['program/missing-command', 3]);
  });

  it('reports what only one reader sees: an extension outside .if defined(HPM_RUN)', async () => {
    const uri = await open('global\n    master-worker\n\nprogram api\n    command /bin/true\n    restart always\n');
    const { diagnostics } = await lsp.diagnostics(uri);
    expect(diagnostics.map((d) => d.code)).toContain('hpm/unguarded-extension');
  });

  it('takes settings from workspace/didChangeConfiguration (here: HAProxy 3.3, which removed program)', async () => {
    const uri = await open('global\n    master-worker\n\nprogram api\n    command /bin/true\n');
    expect((await lsp.diagnostics(uri)).diagnostics.map((d) => d.code)).not.toContain('program/removed');
    await lsp.connection.sendNotification('workspace/didChangeConfiguration', { settings: { hpm: { haproxyVersion: '3.3', hostChecks: false } } });
    expect((await lsp.diagnostics(uri)).diagnostics.map((d) => d.code)).toContain('program/removed');
    await lsp.connection.sendNotification('workspace/didChangeConfiguration', { settings: { hpm: { hostChecks: false } } });
    expect((await lsp.diagnostics(uri)).diagnostics.map((d) => d.code)).not.toContain('program/removed');
  });

  it('formats the whole document like hpm-fmt, and only the lines of a range', async () => {
    const uri = await open(MESSY);
    const whole = (await lsp.connection.sendRequest('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } })) as TextEdit[];
    expect(applyEdits(MESSY, whole)).toBe(FORMATTED);
    const range = (await lsp.connection.sendRequest('textDocument/rangeFormatting', {
      textDocument: { uri },
      range: { start: { line: 9, character: 0 }, end: { line: 9, character: 5 } },
      options: { tabSize: 2, insertSpaces: true },
    })) as TextEdit[];
    expect(range.length).toBeGreaterThan(0);
    const partly = applyEdits(MESSY, range);
    expect(partly).toContain('\n    command "/bin/sh" -c "sleep 1"\n');
    expect(partly).toContain('\n  master-worker\n');
    expect(partly).toContain('\ncommand /bin/true\n');
  });

  it('gives no formatting edits for text the formatter refuses', async () => {
    const uri = await open('global\n    log "127.0.0.1\n');
    expect(await lsp.connection.sendRequest('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 4, insertSpaces: true } })).toEqual([]);
  });

  it('offers a quick fix for each fixable diagnostic, and a fix-all action', async () => {
    const text = 'global\n    master-worker\n\nprogram api\n    command /bin/true\n    restart always';
    const uri = await open(text);
    const { diagnostics } = await lsp.diagnostics(uri);
    const fixable = diagnostics.filter((d: Diagnostic) => d.code === 'syntax/missing-final-newline' || d.code === 'hpm/unguarded-extension');
    expect(fixable.map((d) => d.code).sort()).toEqual(['hpm/unguarded-extension', 'syntax/missing-final-newline']);
    const actions = (await lsp.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 6, character: 0 } },
      context: { diagnostics },
    })) as CodeAction[];
    const quick = actions.filter((a) => a.kind === 'quickfix');
    expect(quick.map((a) => a.diagnostics![0]!.code).sort()).toEqual(['hpm/unguarded-extension', 'syntax/missing-final-newline']);
    const newline = quick.find((a) => a.diagnostics![0]!.code === 'syntax/missing-final-newline')!;
    expect(applyEdits(text, newline.edit!.changes![uri]!)).toBe(`${text}\n`);
    const fixAll = actions.find((a) => a.kind === 'source.fixAll.hpm')!;
    const fixed = applyEdits(text, fixAll.edit!.changes![uri]!);
    expect(fixed).toMatch(/\.if defined\(HPM_RUN\)\n\s*restart always\n\.endif\n$/);
    // The fixed text lints clean of both.
    const check = await open(fixed);
    expect((await lsp.diagnostics(check)).diagnostics.map((d) => d.code)).not.toContain('hpm/unguarded-extension');
  });

  it('explains program keywords, section keywords, .if directives and predicates on hover', async () => {
    const uri = await open('global\n    master-worker\n\nprogram api\n    command /bin/true\n.if defined(HPM_RUN)\n    stop-timeout 5s\n.endif\n');
    const at = async (line: number, character: number) =>
      (await lsp.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } })) as Hover | null;
    const text = (h: Hover | null) => (h?.contents as { value: string } | undefined)?.value ?? '';
    expect(text(await at(4, 6))).toContain('command <command> [arguments*]');
    expect(text(await at(4, 6))).toContain('2.0-3.2');
    expect(text(await at(3, 2))).toContain('program <name>');
    expect(text(await at(5, 6))).toContain('defined(<name>)');
    expect(text(await at(5, 1))).toContain('.if <condition>');
    expect(text(await at(6, 8))).toContain('stop-timeout <time>');
    expect(await at(4, 14)).toBeNull();
  });

  it('explains the second set of hpm-run extensions on hover and completes them', async () => {
    const uri = await open('global\n    master-worker\n\nprogram api\n    command /bin/true\n.if defined(HPM_RUN)\n    after haproxy\n    ready tcp 127.0.0.1:8080\n    reload-order stop-first\n    env A b\n    umask 027\n.endif\n');
    const text = async (line: number, character: number) =>
      (((await lsp.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } })) as Hover | null)?.contents as { value: string } | undefined)?.value ?? '';
    expect(await text(6, 6)).toContain('after <program>...');
    expect(await text(7, 6)).toContain('ready tcp <host>:<port>');
    expect(await text(8, 6)).toContain('reload-order overlap|stop-first');
    expect(await text(9, 5)).toContain('env <name> <value>');
    expect(await text(10, 6)).toContain('umask <octal>');
    const completions = (await lsp.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 4, character: 4 } })) as CompletionItem[];
    expect(completions.map((i) => i.label)).toEqual(expect.arrayContaining(['after', 'ready', 'ready-timeout', 'reload-order', 'env', 'cwd', 'umask']));
  });

  it('completes program keywords in a program section, section keywords, .if predicates and option values', async () => {
    const uri = await open('global\n    master-worker\n\nprogram api\n    co\n    option st\n.if de\n');
    const labels = async (line: number, character: number) =>
      ((await lsp.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line, character } })) as CompletionItem[]).map((i) => i.label);
    const inProgram = await labels(4, 6);
    expect(inProgram).toEqual(expect.arrayContaining(['command', 'user', 'group', 'option', 'restart', 'stop-signal', 'stop-timeout', 'program', 'backend']));
    expect(await labels(1, 4)).not.toContain('command');
    expect(await labels(1, 4)).toContain('frontend');
    expect(await labels(5, 13)).toEqual(['start-on-reload']);
    expect(await labels(6, 6)).toEqual(expect.arrayContaining(['defined', 'feature', 'version_atleast', 'streq']));
  });

  it('hovers and completes keywords from the catalogue for the haproxyVersion setting', async () => {
    const uri = await open('global\n    master-worker\n\ndefaults\n    bind-process 1\n    \n');
    const hoverText = async () =>
      (((await lsp.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 6 } })) as Hover | null)?.contents as { value: string } | undefined)?.value ?? '';
    const labels = async () => ((await lsp.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 5, character: 4 } })) as CompletionItem[]).map((i) => i.label);
    expect(await hoverText()).toContain('`bind-process` in `defaults` sections: HAProxy 2.0-2.6 (removed in 2.8).');
    expect(await hoverText()).toContain('Not in HAProxy 3.2, the targeted version.');
    expect(await labels()).toContain('timeout');
    expect(await labels()).not.toContain('bind-process');
    await lsp.connection.sendNotification('workspace/didChangeConfiguration', { settings: { hpm: { haproxyVersion: '2.6', hostChecks: false } } });
    try {
      expect(await hoverText()).not.toContain('Not in HAProxy');
      expect(await labels()).toContain('bind-process');
    } finally {
      await lsp.connection.sendNotification('workspace/didChangeConfiguration', { settings: { hpm: { hostChecks: false } } });
    }
  });

  it('lists the sections as document symbols and goes to a program from its name', async () => {
    const uri = await open(FORMATTED);
    const symbols = (await lsp.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as DocumentSymbol[];
    expect(symbols.map((s) => [s.name, s.range.start.line, s.range.end.line])).toEqual([
      ['global', 0, 1],
      ['program api', 3, 5],
      ['program worker', 7, 8],
    ]);
    const refs = await open(`${FORMATTED}\n# references by name: the master CLI's show proc lists them\nprogram api2\n    command echo worker\n`);
    const locations = (await lsp.connection.sendRequest('textDocument/definition', { textDocument: { uri: refs }, position: { line: 12, character: 19 } })) as Location[];
    expect(locations).toEqual([{ uri: refs, range: { start: { line: 7, character: 8 }, end: { line: 7, character: 14 } } }]);
  });
});
