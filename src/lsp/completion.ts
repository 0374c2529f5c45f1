/**
 * Completion from the text before the cursor: section keywords and, inside a program section,
 * its keywords and hpm-run's extensions at the start of a line; `start-on-reload` after
 * `option`; restart policies after `restart`; directives after `.`; predicates in `.if`/`.elif`.
 */
import type { CompletionItem, Position } from 'vscode-languageserver/node';
import { CompletionItemKind, InsertTextFormat, MarkupKind } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { RESTART_POLICIES } from '../model/index.js';
import { ALL_SECTION_KEYWORDS } from '../syntax/index.js';
import { parsedDocument, sectionBefore } from './documents.js';
import { CONDITION_PREDICATE_DOCS, DIRECTIVE_DOCS, EXTENSION_KEYWORD_DOCS, PROGRAM_KEYWORD_DOCS, keywordMarkdown, sectionKeywordDoc, type KeywordDoc } from './keyword-docs.js';

function item(label: string, kind: CompletionItemKind, doc: KeywordDoc | undefined, sortGroup: string): CompletionItem {
  return {
    label,
    kind,
    sortText: `${sortGroup}${label}`,
    ...(doc ? { detail: doc.synopsis, documentation: { kind: MarkupKind.Markdown, value: keywordMarkdown(doc) } } : {}),
    ...(doc?.snippet ? { insertText: doc.snippet, insertTextFormat: InsertTextFormat.Snippet } : {}),
  };
}

function plain(label: string): CompletionItem {
  return { label, kind: CompletionItemKind.Value };
}

export function complete(document: TextDocument, position: Position): CompletionItem[] {
  const before = document.getText({ start: { line: position.line, character: 0 }, end: position });
  if (/^\s*\.(if|elif)\s/.test(before)) {
    return Object.entries(CONDITION_PREDICATE_DOCS).map(([name, doc]) => item(name, CompletionItemKind.Function, doc, '1'));
  }
  if (/^\s*\.[a-z]*$/.test(before)) {
    return Object.entries(DIRECTIVE_DOCS).map(([name, doc]) => ({ ...item(name, CompletionItemKind.Keyword, doc, '1'), filterText: name }));
  }
  const section = sectionBefore(parsedDocument(document), position.line);
  const inProgram = section?.keyword === 'program' && section.header.number - 1 < position.line;
  if (inProgram && /^\s*(no\s+|default\s+)?option\s+[a-z-]*$/.test(before)) return [plain('start-on-reload')];
  if (inProgram && /^\s*restart\s+[a-z-]*$/.test(before)) return RESTART_POLICIES.map(plain);
  if (!/^\s*[a-z_-]*$/.test(before) && !/^\s*(no|default)\s+[a-z-]*$/.test(before)) return [];
  const items: CompletionItem[] = [];
  if (inProgram) {
    for (const [name, doc] of Object.entries(PROGRAM_KEYWORD_DOCS)) items.push(item(name, CompletionItemKind.Keyword, doc, '0'));
    for (const [name, doc] of Object.entries(EXTENSION_KEYWORD_DOCS)) items.push(item(name, CompletionItemKind.Keyword, doc, '1'));
  }
  // A section keyword opens a new section, whatever the indentation.
  for (const name of ALL_SECTION_KEYWORDS) items.push(item(name, CompletionItemKind.Module, sectionKeywordDoc(name), '2'));
  return items;
}
