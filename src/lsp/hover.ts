/** Hover: what a keyword under the cursor does (section, program and extension keywords, `.if` directives and predicates). */
import type { Hover, Position } from 'vscode-languageserver/node';
import { MarkupKind } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isExtensionKeyword } from '../model/index.js';
import { CONDITION_PREDICATE_DOCS, DIRECTIVE_DOCS, EXTENSION_KEYWORD_DOCS, PROGRAM_KEYWORD_DOCS, keywordMarkdown, sectionKeywordDoc, type KeywordDoc } from './keyword-docs.js';
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

export function hover(document: TextDocument, position: Position): Hover | null {
  const ast = parsedDocument(document);
  const offset = document.offsetAt(position);
  const at = wordAt(ast, position.line, offset);
  const line = at?.line ?? ast.lines[position.line];
  if (!line) return null;
  let doc: KeywordDoc | undefined;
  if (line.kind === 'directive') {
    const lineText = document.getText({ start: { line: position.line, character: 0 }, end: { line: position.line + 1, character: 0 } });
    const predicate = predicateAt(lineText, position.character);
    doc = predicate ? CONDITION_PREDICATE_DOCS[predicate] : at?.index === 0 ? DIRECTIVE_DOCS[at.word.raw] : undefined;
  } else if (at && at.index === 0 && line.kind === 'section') {
    doc = sectionKeywordDoc(line.keyword ?? at.word.raw);
  } else if (at && at.index === keywordIndex(line) && line.kind === 'statement' && line.keyword && sectionOf(ast, line)?.keyword === 'program') {
    doc = programKeywordDoc(line.keyword);
  }
  if (!doc) return null;
  const range = at ? { start: document.positionAt(at.word.span.start.offset), end: document.positionAt(at.word.span.end.offset) } : undefined;
  return { contents: { kind: MarkupKind.Markdown, value: keywordMarkdown(doc) }, ...(range && line.kind !== 'directive' ? { range } : {}) };
}
