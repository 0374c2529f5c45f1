/**
 * Hover and completion from the keyword catalogue: what a user sees on the first word of a line
 * and on a section keyword (sections, versions, replacement, `no`/`default`), and the keywords
 * offered in the section the cursor is in, for the targeted HAProxy version.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CompletionItemTag, type CompletionItem, type Hover } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { complete } from '../../src/lsp/completion.js';
import { hover } from '../../src/lsp/hover.js';
import { targetedVersion } from '../../src/lsp/lint.js';
import { keywordsOf } from '../../src/model/keywords/index.js';

let n = 0;
const documentOf = (text: string) => TextDocument.create(`file:///tmp/hpm-lsp-keywords-${++n}.cfg`, 'haproxy', 1, text);
const hoverText = (h: Hover | null) => (h?.contents as { value: string } | undefined)?.value ?? '';
const hoverAt = (text: string, line: number, character: number, version?: string) => hoverText(hover(documentOf(text), { line, character }, version));
const labels = (items: CompletionItem[]) => items.map((i) => i.label);

const CONFIG = [
  'global', //                                   0
  '    master-worker', //                        1
  '    no log', //                               2
  'defaults', //                                 3
  '    bind-process 1', //                       4
  '    timeout client 5s', //                    5
  'frontend fe', //                              6
  '    server s1 127.0.0.1:80', //               7
  '    guid fe-1', //                            8
  'program api', //                              9
  '    command /bin/true', //                   10
  'crt-store web', //                           11
  '',
].join('\n');

describe('hover from the keyword catalogue', () => {
  it('says where a keyword belongs and since when', () => {
    const text = hoverAt(CONFIG, 5, 6);
    expect(text).toContain('`timeout` in `defaults` sections: HAProxy 2.0+');
    expect(text).toMatch(/Also a keyword of .*`backend`.*`frontend`.*`listen`/);
  });

  it('gives a deprecation with its replacement', () => {
    expect(hoverAt(CONFIG, 1, 6)).toContain('`master-worker` in `global` sections: HAProxy 2.0+; deprecated since 3.3: use the -W command line option instead.');
  });

  it('gives a removal, and says the targeted version lacks it', () => {
    const text = hoverAt(CONFIG, 4, 6);
    expect(text).toContain('`bind-process` in `defaults` sections: HAProxy 2.0-2.6 (removed in 2.8).');
    expect(text).toContain('Not in HAProxy 3.2, the targeted version.');
    expect(hoverAt(CONFIG, 4, 6, '2.6')).not.toContain('Not in HAProxy');
    expect(hoverAt(CONFIG, 8, 6, '2.8')).toContain('Not in HAProxy 2.8, the targeted version.');
  });

  it('says which keywords take no/default, on the keyword and on the no in front of it', () => {
    expect(hoverAt(CONFIG, 2, 8)).toContain('`log` in `global` sections: HAProxy 2.0+; takes `no` / `default`.');
    expect(hoverAt(CONFIG, 2, 5)).toContain('takes `no` / `default`');
  });

  it('names the sections of a keyword used in the wrong one', () => {
    const text = hoverAt(CONFIG, 7, 6);
    expect(text).toContain('`server` is not a keyword of `frontend` sections in any HAProxy version.');
    expect(text).toMatch(/A keyword of .*`backend`.*`listen`/);
  });

  it('keeps the program keyword text and adds the catalogue facts', () => {
    const text = hoverAt(CONFIG, 10, 6);
    expect(text).toContain('command <command> [arguments*]');
    expect(text).toContain('`command` in `program` sections: HAProxy 2.0-3.2 (removed in 3.3).');
  });

  it('gives a section keyword its versions', () => {
    const program = hoverAt(CONFIG, 9, 2);
    expect(program).toContain('program <name>');
    expect(program).toContain('`program` sections: HAProxy 2.0-3.2 (removed in 3.3); deprecated since 3.1');
    expect(hoverAt(CONFIG, 11, 2)).toContain('`crt-store` sections: HAProxy 3.0+');
    expect(hoverAt(CONFIG, 11, 2, '2.6')).toContain('Not in HAProxy 2.6, the targeted version.');
  });

  it('says nothing on a word no section knows, nor on an argument', () => {
    expect(hover(documentOf('global\n    no-such-keyword 1\n'), { line: 1, character: 6 })).toBeNull();
    expect(hover(documentOf(CONFIG), { line: 5, character: 14 })).toBeNull();
  });
});

describe('completion from the keyword catalogue', () => {
  const at = (text: string, line: number, character: number, version?: string) => complete(documentOf(text), { line, character }, version);

  it('offers the keywords of the section the cursor is in, for 3.2 by default', () => {
    const items = at('global\n    \n', 1, 4);
    expect(labels(items)).toEqual(expect.arrayContaining([...keywordsOf('global', '3.2'), 'frontend', 'program']));
    expect(labels(items)).not.toContain('timeout');
    const defaults = labels(at('defaults\n    \n', 1, 4));
    expect(defaults).toContain('timeout');
    expect(defaults).not.toContain('bind-process');
    expect(defaults).not.toContain('master-worker');
  });

  it('follows the targeted version', () => {
    expect(labels(at('defaults\n    \n', 1, 4, '2.6'))).toContain('bind-process');
    expect(labels(at('frontend fe\n    \n', 1, 4, '2.8'))).not.toContain('guid');
    expect(labels(at('frontend fe\n    \n', 1, 4, '3.0'))).toContain('guid');
    expect(labels(at('global\n    \n', 1, 4, '2.6'))).not.toContain('crt-store');
    expect(labels(at('global\n    \n', 1, 4))).toContain('crt-store');
  });

  it('documents each keyword and strikes through a deprecated one', () => {
    const items = at('global\n    \n', 1, 4, '3.3');
    const masterWorker = items.find((i) => i.label === 'master-worker')!;
    expect(masterWorker.tags).toEqual([CompletionItemTag.Deprecated]);
    expect((masterWorker.documentation as { value: string }).value).toContain('deprecated since 3.3');
    expect(at('global\n    \n', 1, 4).find((i) => i.label === 'master-worker')!.tags).toBeUndefined();
  });

  it('after no/default, offers only the keywords of that section that take it', () => {
    expect(labels(at('defaults\n    no \n', 1, 7)).sort()).toEqual(['log', 'option']);
  });

  it('keeps the program keywords, their snippets and the extensions in a program section, also targeting 3.3', () => {
    for (const version of [undefined, '3.3']) {
      const items = at('program api\n    \n', 1, 4, version);
      expect(labels(items)).toEqual(expect.arrayContaining(['command', 'user', 'group', 'option', 'restart', 'stop-timeout', 'program']));
      expect(items.find((i) => i.label === 'command')!.insertText).toBe('command ${1:/usr/bin/program}');
    }
  });
});

describe('the version hover and completion describe', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hpm-lsp-version-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const documentIn = (sub: string) => TextDocument.create(pathToFileURL(join(dir, sub, 'haproxy.cfg')).href, 'haproxy', 1, 'global\n');

  it("is the editor's setting, else the project's config file, else 3.2, as for linting", () => {
    writeFileSync(join(dir, '.hpmrc.json'), JSON.stringify({ haproxyVersion: '2.6' }));
    expect(targetedVersion(documentIn('conf'), {})).toBe('2.6');
    expect(targetedVersion(documentIn('conf'), { haproxyVersion: '3.0' })).toBe('3.0');
    writeFileSync(join(dir, '.hpmrc.json'), JSON.stringify({ haproxyVersion: 'two' }));
    expect(targetedVersion(documentIn('conf'), {})).toBe('3.2');
  });
});
