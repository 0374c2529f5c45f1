/**
 * Completion from the text before the cursor: at the start of a line, the keywords the catalogue
 * gives the section the cursor is in for the targeted HAProxy version (the program keywords with
 * their own texts, hpm-run's extensions in a program section) and the section keywords; after
 * `no`/`default`, the keywords of that section that take it; `start-on-reload` after `option`
 * in a program section; restart policies after `restart`; directives after `.`; predicates in
 * `.if`/`.elif`.
 */
import type { CompletionItem, Position } from 'vscode-languageserver/node';
import { CompletionItemKind, CompletionItemTag, InsertTextFormat, MarkupKind } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_HAPROXY_VERSION, keywordInfo, keywordsOf, sectionsOf } from '../model/keywords/index.js';
import { RESTART_POLICIES } from '../model/index.js';
import { compareVersions } from '../syntax/index.js';
import { parsedDocument, sectionBefore } from './documents.js';
import {
  CONDITION_PREDICATE_DOCS,
  DIRECTIVE_DOCS,
  EXTENSION_KEYWORD_DOCS,
  PROGRAM_KEYWORD_DOCS,
  keywordCatalogueMarkdown,
  keywordMarkdown,
  sectionCatalogueMarkdown,
  sectionKeywordDoc,
  type KeywordDoc,
} from './keyword-docs.js';

function item(label: string, kind: CompletionItemKind, doc: KeywordDoc | undefined, sortGroup: string, facts?: string): CompletionItem {
  const value = doc ? keywordMarkdown(doc, facts) : facts;
  return {
    label,
    kind,
    sortText: `${sortGroup}${label}`,
    ...(doc ? { detail: doc.synopsis } : {}),
    ...(value ? { documentation: { kind: MarkupKind.Markdown, value } } : {}),
    ...(doc?.snippet ? { insertText: doc.snippet, insertTextFormat: InsertTextFormat.Snippet } : {}),
  };
}

function plain(label: string): CompletionItem {
  return { label, kind: CompletionItemKind.Value };
}

/** Program sections are gone from 3.3; hpm-run still reads them, with the keywords of 3.2. */
function keywordVersion(section: string, version: string): string {
  return section === 'program' && compareVersions(version, '3.3') >= 0 ? '3.2' : version;
}

/** `haproxyVersion`: the targeted version (the server's setting), else the default, 3.2. */
export function complete(document: TextDocument, position: Position, haproxyVersion: string = DEFAULT_HAPROXY_VERSION): CompletionItem[] {
  const before = document.getText({ start: { line: position.line, character: 0 }, end: position });
  if (/^\s*\.(if|elif)\s/.test(before)) {
    return Object.entries(CONDITION_PREDICATE_DOCS).map(([name, doc]) => item(name, CompletionItemKind.Function, doc, '1'));
  }
  if (/^\s*\.[a-z]*$/.test(before)) {
    return Object.entries(DIRECTIVE_DOCS).map(([name, doc]) => ({ ...item(name, CompletionItemKind.Keyword, doc, '1'), filterText: name }));
  }
  const found = sectionBefore(parsedDocument(document), position.line);
  const section = found && found.header.number - 1 < position.line ? found.keyword : undefined;
  const inProgram = section === 'program';
  if (inProgram && /^\s*(no\s+|default\s+)?option\s+[a-z-]*$/.test(before)) return [plain('start-on-reload')];
  if (inProgram && /^\s*restart\s+[a-z-]*$/.test(before)) return RESTART_POLICIES.map(plain);
  const modified = /^\s*(no|default)\s+[a-z-]*$/.test(before);
  if (!/^\s*[a-z_-]*$/.test(before) && !modified) return [];
  const items: CompletionItem[] = [];
  if (section !== undefined) {
    const version = keywordVersion(section, haproxyVersion);
    for (const name of keywordsOf(section, version)) {
      const info = keywordInfo(section, name)!;
      if (modified && !info.modifiable) continue;
      const doc = inProgram && name in PROGRAM_KEYWORD_DOCS ? PROGRAM_KEYWORD_DOCS[name as keyof typeof PROGRAM_KEYWORD_DOCS] : undefined;
      const keyword = item(name, CompletionItemKind.Keyword, doc, '0', keywordCatalogueMarkdown(section, name, version));
      // A deprecated keyword is still offered (the file may target that version), struck through.
      if (info.deprecated !== undefined && compareVersions(version, info.deprecated) >= 0) keyword.tags = [CompletionItemTag.Deprecated];
      items.push(keyword);
    }
    if (inProgram && !modified) for (const [name, doc] of Object.entries(EXTENSION_KEYWORD_DOCS)) items.push(item(name, CompletionItemKind.Keyword, doc, '1'));
  }
  if (modified) return items;
  // A section keyword opens a new section, whatever the indentation. `program` stays on offer
  // for hpm-run after 3.3 removed it from HAProxy.
  const sections = new Set([...sectionsOf(haproxyVersion), 'program']);
  for (const name of [...sections].sort()) items.push(item(name, CompletionItemKind.Module, sectionKeywordDoc(name), '2', sectionCatalogueMarkdown(name, haproxyVersion)));
  return items;
}
