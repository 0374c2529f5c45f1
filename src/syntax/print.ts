/** Lossless printing: the AST gives back its input byte for byte. */
import type { ConfigFile, Line } from './ast.js';

export function printLine(line: Line): string {
  let out = line.indent + (line.scope ?? '');
  line.words.forEach((word, i) => {
    out += word.raw + (line.gaps[i] ?? '');
  });
  return out + line.trailing + (line.comment?.raw ?? '') + (line.crTail ?? '') + (line.nulTail ?? '') + line.eol;
}

export function print(ast: ConfigFile): string {
  return ast.lines.map(printLine).join('');
}
