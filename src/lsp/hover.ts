/**
 * Hover: what a keyword under the cursor does. Section keywords and the first word of every line
 * get what the keyword catalogue knows (sections, versions, replacement, `no`/`default`), beside
 * the hand-written text of section, program and extension keywords; `.if` directives and
 * predicates get theirs.
 */
import type { Hover, Position } from 'vscode-languageserver/node';
import { MarkupKind } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_HAPROXY_VERSION } from '../model/keywords/index.js';
import { isExtensionKeyword } from '../model/index.js';
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
import { keywordIndex, parsedDocument, sectionOf, wordAt } from './documents.js';

function programKeywordDoc(keyword: string): KeywordDoc | undefined {
  if (keyword in PROGRAM_KEYWORD_DOCS) return PROGRAM_KEYWORD_DOCS[keyword as keyof typeof PROGRAM_KEYWORD_DOCS];
  return isExtensionKeyword(keyword) ? EXTENSION_KEYWORD_DOCS[keyword] : undefined;
}

/** The `.if` predicate whose name is under the cursor, e.g. `defined` in `.if defined(X)`. */
function predicateAt(lineText: string, character: number): string | undefined {
  for (const m of lineText.matchAll(/([a-z_]+)\(/g)) {
    if (m.index <= character && character <= m.index + m[1]!.length && m[1]! in CONDITION_PREDICATE_DOCS) return m[1];
  }
  return undefined;
}

/** `haproxyVersion`: the targeted version (the server's setting), for "not in this version" notes. */
export function hover(document: TextDocument, position: Position, haproxyVersion: string = DEFAULT_HAPROXY_VERSION): Hover | null {
  const ast = parsedDocument(document);
  const offset = document.offsetAt(position);
  const at = wordAt(ast, position.line, offset);
  const line = at?.line ?? ast.lines[position.line];
  if (!line) return null;
  let markdown: string | undefined;
  if (line.kind === 'directive') {
    const lineText = document.getText({ start: { line: position.line, character: 0 }, end: { line: position.line + 1, character: 0 } });
    const predicate = predicateAt(lineText, position.character);
    const doc = predicate ? CONDITION_PREDICATE_DOCS[predicate] : at?.index === 0 ? DIRECTIVE_DOCS[at.word.raw] : undefined;
    markdown = doc && keywordMarkdown(doc);
  } else if (at && at.index === 0 && line.kind === 'section') {
    const keyword = line.keyword ?? at.word.raw;
    const doc = sectionKeywordDoc(keyword);
    const facts = sectionCatalogueMarkdown(keyword, haproxyVersion);
    markdown = doc ? keywordMarkdown(doc, facts) : facts;
  } else if (at && at.index <= keywordIndex(line) && line.kind === 'statement' && line.keyword) {
    // The first word of a line: the keyword, or the `no`/`default` in front of it.
    const section = sectionOf(ast, line)?.keyword;
    const doc = section === 'program' ? programKeywordDoc(line.keyword) : undefined;
    const facts = keywordCatalogueMarkdown(section, line.keyword, haproxyVersion);
    markdown = doc ? keywordMarkdown(doc, facts) : facts;
  }
  if (!markdown) return null;
  const range = at ? { start: document.positionAt(at.word.span.start.offset), end: document.positionAt(at.word.span.end.offset) } : undefined;
  return { contents: { kind: MarkupKind.Markdown, value: markdown }, ...(range && line.kind !== 'directive' ? { range } : {}) };
}
