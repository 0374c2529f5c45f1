/**
 * A second reader of the same text reuses the first one's line shapes. hpm-lint reads every file
 * twice (as HAProxy, and as hpm-run with HPM_RUN defined) and the formatter parses what it was
 * just given: the cut into lines and words does not depend on the env, and a word without `$`
 * cooks to the same values under any env. Reused words are shared between the two ASTs (nothing
 * mutates a word after parse), which saves the scan and, while both ASTs live, their memory.
 *
 * Earlier ASTs are held through WeakRefs only: an AST its caller dropped is never kept alive.
 */
import type { ConfigFile, Line, Word } from './ast.js';
import { LazyWord } from './lazy-word.js';
import { LineNode } from './line-node.js';

/** A few recent files: enough for a configuration of several files read twice. */
const MAX_REMEMBERED = 16;
const remembered: Array<{ ast: WeakRef<ConfigFile>; encoding: string }> = [];

export function rememberShapes(ast: ConfigFile, encoding: string | undefined): void {
  remembered.push({ ast: new WeakRef(ast), encoding: encoding ?? 'utf8' });
  if (remembered.length > MAX_REMEMBERED) remembered.shift();
}

/** The lines of a live earlier AST of exactly this text and encoding, if any. */
export function rememberedLines(text: string, encoding: string | undefined): readonly Line[] | undefined {
  for (let i = remembered.length - 1; i >= 0; i--) {
    const entry = remembered[i]!;
    const ast = entry.ast.deref();
    if (ast === undefined) {
      remembered.splice(i, 1);
      continue;
    }
    if (entry.encoding === (encoding ?? 'utf8') && ast.text.length === text.length && ast.text === text) return ast.lines;
  }
  return undefined;
}

/**
 * A word whose values cannot depend on the env and that cooked without error: one that needed no
 * cooking (`$` expands only inside double quotes, and such words are cooked), or one without `$`.
 */
function isEnvIndependent(word: Word): boolean {
  if (!(word instanceof LazyWord)) return false;
  const cooked = word.cookedSoFar();
  return typeof cooked === 'string' || (cooked !== undefined && !word.raw.includes('$'));
}

/** A fresh Line with the shape of `previous` and nothing read yet. */
export function reshapeLine(previous: Line): Line {
  const compactText = previous instanceof LineNode ? previous.compactText : undefined;
  if (compactText !== undefined) {
    // A compact line's argv depends on its text alone: shared, words still unbuilt.
    const node = previous as LineNode;
    const line = new LineNode(node.number, node.startOffset, node.endOffset, node.indent, undefined, undefined, node.trailing, node.eol);
    line.makeCompact(compactText);
    line.args = node.args;
    if (node.comment !== undefined) line.comment = node.comment;
    return line;
  }
  // Words are shared, and so is the words array when every word is (nothing mutates either).
  let words = previous.words;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (isEnvIndependent(word)) continue;
    if (words === previous.words) words = words.slice();
    words[i] = word instanceof LazyWord ? word.uncooked() : word;
  }
  const line =
    previous instanceof LineNode
      ? new LineNode(previous.number, previous.startOffset, previous.endOffset, previous.indent, words, previous.gaps, previous.trailing, previous.eol)
      : new LineNode(previous.number, previous.span.start.offset, previous.span.end.offset, previous.indent, words, previous.gaps, previous.trailing, previous.eol);
  if (previous.scope !== undefined) line.scope = previous.scope;
  if (previous.comment !== undefined) line.comment = previous.comment;
  else if (previous.crTail !== undefined) line.crTail = previous.crTail;
  else if (previous.nulTail !== undefined) line.nulTail = previous.nulTail;
  return line;
}
