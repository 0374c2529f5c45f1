/** Document symbols (one per section, by position) and go to definition of program names. */
import type { DocumentSymbol, Location, Position } from 'vscode-languageserver/node';
import { SymbolKind } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Section } from '../syntax/index.js';
import { parsedDocument, wordAt } from './documents.js';

function nameWord(section: Section) {
  return section.header.words[1];
}

export function documentSymbols(document: TextDocument): DocumentSymbol[] {
  const ast = parsedDocument(document);
  const sections = ast.structuralSections;
  return sections.map((section, i) => {
    const start = section.header.span.start.offset;
    // The section runs to its last non-blank line before the next section's header.
    let last = (sections[i + 1]?.header.number ?? ast.lines.length + 1) - 2;
    while (last > section.header.number - 1 && ast.lines[last]!.kind === 'blank') last--;
    const end = ast.lines[last]!.span.end.offset - ast.lines[last]!.eol.length;
    const word = nameWord(section) ?? section.header.words[0]!;
    return {
      name: section.name !== undefined ? `${section.keyword} ${section.name}` : section.keyword,
      kind: section.keyword === 'program' ? SymbolKind.Function : SymbolKind.Module,
      range: { start: document.positionAt(start), end: document.positionAt(end) },
      selectionRange: { start: document.positionAt(word.span.start.offset), end: document.positionAt(word.span.end.offset) },
    };
  });
}

/** A word naming a program (e.g. in hpm-run's references, a comment-free argument) leads to its section. */
export function definition(document: TextDocument, position: Position): Location[] {
  const ast = parsedDocument(document);
  const at = wordAt(ast, position.line, document.offsetAt(position));
  if (!at) return [];
  const name = at.word.values?.[0] ?? at.word.raw;
  return ast.structuralSections
    .filter((s) => s.keyword === 'program' && s.name === name && nameWord(s))
    .map((s) => {
      const word = nameWord(s)!;
      return { uri: document.uri, range: { start: document.positionAt(word.span.start.offset), end: document.positionAt(word.span.end.offset) } };
    });
}
