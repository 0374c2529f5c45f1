/** What the server knows of one open document: its file name for messages and config lookup, and its parse. */
import { fileURLToPath } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { parse, type ConfigFile, type Line, type Word } from '../syntax/index.js';

/** A file path for a document URI; untitled buffers get a name in the current directory. */
export function documentPath(uri: string): string {
  if (uri.startsWith('file:')) return fileURLToPath(uri);
  return `${process.cwd()}/haproxy.cfg`;
}

const parses = new WeakMap<TextDocument, { version: number; ast: ConfigFile }>();

/** The document's AST as HAProxy reads it (structural sections are the same for both readers). */
export function parsedDocument(document: TextDocument): ConfigFile {
  const cached = parses.get(document);
  if (cached && cached.version === document.version) return cached.ast;
  const { ast } = parse(document.getText(), { file: documentPath(document.uri) });
  parses.set(document, { version: document.version, ast });
  return ast;
}

export interface WordAt {
  line: Line;
  word: Word;
  index: number;
}

/** The line and word under an offset, if the offset is on a word. */
export function wordAt(ast: ConfigFile, lineNumber: number, offset: number): WordAt | undefined {
  const line = ast.lines[lineNumber];
  if (!line) return undefined;
  const index = line.words.findIndex((w) => w.span.start.offset <= offset && offset <= w.span.end.offset);
  return index < 0 ? undefined : { line, word: line.words[index]!, index };
}

/** The keyword's word index in a line (after `no`/`default`). */
export function keywordIndex(line: Line): number {
  return line.modifier ? 1 : 0;
}

/** The structural section (by position) a line belongs to. */
export function sectionOf(ast: ConfigFile, line: Line) {
  return line.structuralSectionIndex === undefined ? undefined : ast.structuralSections[line.structuralSectionIndex];
}

/** The section (by position) that a new line at this 0-based line number would belong to. */
export function sectionBefore(ast: ConfigFile, lineNumber: number) {
  let found: ConfigFile['structuralSections'][number] | undefined;
  for (const section of ast.structuralSections) {
    if (section.header.number - 1 <= lineNumber) found = section;
    else break;
  }
  return found;
}
