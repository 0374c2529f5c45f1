/**
 * What formatting must keep (spec format.md "Promises"), extracted from a text so that a test can
 * compare before and after: each non-blank line's kind, cooked args, `.if` depth, reader state and
 * section; every word's raw text; every comment's text; the text after lone CRs.
 */
import { parse, type Env } from '../../src/syntax/index.js';

export interface Meaning {
  statements: string[];
  words: string[];
  comments: string[];
  /** Text after a lone CR: never read by HAProxy, but written by someone. */
  crTails: string[];
}

export function meaningOf(text: string, env: Env = {}): Meaning {
  const { ast } = parse(text, { file: 'meaning.cfg', env });
  const statements: string[] = [];
  const words: string[] = [];
  const comments: string[] = [];
  const crTails: string[] = [];
  for (const line of ast.lines) {
    words.push(...line.words.map((w) => w.raw));
    if (line.comment) comments.push(line.comment.raw.replace(/[ \t\v\f\r]+$/, ''));
    const tail = line.crTail?.replace(/[ \t\v\f\r]+$/, '') ?? '';
    if (/[^\r \t\v\f]/.test(tail)) crTails.push(tail);
    if (line.kind === 'blank') continue;
    statements.push(
      JSON.stringify([line.kind, line.args ?? null, line.keyword ?? null, line.conditionDepth, line.active, line.structuralSectionIndex ?? null, line.sectionIndex ?? null]),
    );
  }
  return { statements, words, comments, crTails };
}
