/**
 * Formatting through hpm-fmt's own path (the project's Prettier config and .editorconfig apply,
 * as for `hpm-fmt` and `prettier`), returned as line edits; range formatting keeps the edits
 * that touch the range. Text the formatter refuses (a syntax error) gets no edits: the
 * diagnostics already say why.
 */
import type { Range, TextEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { runFmt } from '../format/command.js';
import { documentPath } from './documents.js';
import { lineHunks, splitLines } from './line-diff.js';

export async function formattedText(document: TextDocument): Promise<string | undefined> {
  let out = '';
  const code = await runFmt(
    { paths: [], write: false, check: false, stdinFilepath: documentPath(document.uri) },
    { stdout: (data) => void (out += typeof data === 'string' ? data : Buffer.from(data).toString('latin1')), stderr: () => undefined, readStdin: async () => Buffer.from(document.getText(), 'utf8') },
  );
  return code === 0 ? out : undefined;
}

/** Edits turning the document's text into `target`, line by line; with a range, those touching its lines. */
export function editsTo(document: TextDocument, target: string, range?: Range): TextEdit[] {
  const text = document.getText();
  const starts: number[] = [];
  let offset = 0;
  for (const line of splitLines(text)) {
    starts.push(offset);
    offset += line.length;
  }
  starts.push(text.length);
  let hunks = lineHunks(text, target);
  if (range) {
    const first = range.start.line;
    // A range ending at column 0 of a line does not take that line.
    const last = range.end.character === 0 && range.end.line > first ? range.end.line - 1 : range.end.line;
    hunks = hunks.filter((h) => (h.oldStart === h.oldEnd ? first <= h.oldStart && h.oldStart <= last : h.oldStart <= last && h.oldEnd > first));
  }
  return hunks.map((h) => ({
    range: { start: document.positionAt(starts[h.oldStart]!), end: document.positionAt(starts[h.oldEnd]!) },
    newText: h.newLines.join(''),
  }));
}

export async function formatDocument(document: TextDocument, range?: Range): Promise<TextEdit[]> {
  const target = await formattedText(document);
  return target === undefined ? [] : editsTo(document, target, range);
}
