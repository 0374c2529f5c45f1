/** Small helpers shared by rules: metadata defaults, spans, and "did you mean" suggestions. */
import type { Line, Span, SyntaxFinding, Word } from '../../syntax/index.js';
import type { Rule, RuleContext, RuleMeta, View } from '../types.js';

/** Every version that has `program` sections. */
export const PROGRAM_VERSIONS = { from: '2.0', to: '3.2' } as const;
export const BOTH_VIEWS: readonly View[] = ['haproxy', 'hpm-run'];

type MetaInput = Omit<RuleMeta, 'docs' | 'views' | 'versions' | 'fixable'> & Partial<Pick<RuleMeta, 'views' | 'versions' | 'fixable'>>;

/** Fills the defaults (both readers, 2.0-3.2, not fixable) and derives the docs path from the id. */
export function defineRule(meta: MetaInput, check: Rule['check']): Rule {
  return {
    meta: { views: BOTH_VIEWS, versions: PROGRAM_VERSIONS, fixable: false, docs: `docs/rules/${meta.id}.md`, ...meta },
    check,
  };
}

/** How a syntax rule words one of the parser's findings: its message, hint and, if not the parser's, its place. */
export interface FindingWords {
  message: string;
  hint?: string;
  span?: Span;
}

/**
 * A syntax rule reports the parser's findings that belong to it (findings.ts RULE_OF_CODE), in its
 * own words: `describe` turns the typed finding into a message and hint. Without `describe`, the
 * parser's Diagnostic is reported as it is.
 */
export function parserRule(meta: MetaInput & { fixable?: boolean }, describe?: (finding: SyntaxFinding, context: RuleContext) => FindingWords): Rule {
  return defineRule({ versions: { from: '2.0' }, ...meta }, (context) => {
    for (const d of context.parserDiagnostics) {
      if (d.ruleId !== meta.id) continue;
      const words: FindingWords = describe && d.finding ? describe(d.finding, context) : { message: d.message, ...(d.hint ? { hint: d.hint } : {}) };
      context.report({ file: d.file, span: words.span ?? d.span, message: words.message, ...(words.hint ? { hint: words.hint } : {}) });
    }
  });
}

export function spanOfWords(from: Word, to: Word = from): Span {
  return { start: from.span.start, end: to.span.end };
}

/** The word that holds the keyword (after a `no`/`default` modifier). */
export function keywordWord(line: Line): Word | undefined {
  return line.words[line.modifier ? 1 : 0];
}

/** The i-th argument word after the keyword (0-based), when the words map 1:1 to args. */
export function argumentWord(line: Line, index: number): Word | undefined {
  return line.words[(line.modifier ? 2 : 1) + index];
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = saved;
    }
  }
  return row[b.length]!;
}

/** The closest candidate within a small edit distance (case-insensitive), if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
