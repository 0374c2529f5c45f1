/**
 * `--fix`: apply the safe fixes rules attach to their findings, re-lint, repeat until nothing is
 * left to fix (at most 10 passes, like ESLint), then write each changed file atomically.
 */
import { encodeConfigText, writeFileAtomically, type LoadedSource } from '../model/index.js';
import { lintSources } from './engine.js';
import type { Fix, LintOptions, LintResult } from './types.js';

const MAX_PASSES = 10;

/**
 * Applies fixes that neither overlap nor touch, in one pass (like ESLint, a fix that starts where
 * the previous one ends waits for the next pass, which sees the new text).
 */
export function applyFixes(text: string, fixes: readonly Fix[]): string {
  const sorted = [...fixes].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  let out = '';
  let cursor = 0;
  let lastEnd = -1;
  for (const fix of sorted) {
    if (fix.range[0] <= lastEnd) continue;
    out += text.slice(cursor, fix.range[0]) + fix.text;
    cursor = fix.range[1];
    lastEnd = fix.range[1];
  }
  return out + text.slice(cursor);
}

export interface FixOutcome {
  sources: LoadedSource[];
  result: LintResult;
  /** Files whose text changed. */
  changed: string[];
}

/** Lints and fixes in memory; returns the fixed sources and the result of the last lint. */
export function fixSources(sources: readonly LoadedSource[], options: LintOptions): FixOutcome {
  let current = sources.map((s) => ({ ...s }));
  let result = lintSources(current, options);
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let changedAny = false;
    current = current.map((source) => {
      const fixes = result.results.find((r) => r.file === source.file)?.diagnostics.flatMap((d) => (d.fix ? [d.fix] : [])) ?? [];
      if (fixes.length === 0) return source;
      const text = applyFixes(source.text, fixes);
      if (text === source.text) return source;
      changedAny = true;
      return { ...source, text };
    });
    if (!changedAny) break;
    result = lintSources(current, options);
  }
  const changed = current.filter((s, i) => s.text !== sources[i]!.text).map((s) => s.file);
  return { sources: current, result, changed };
}

export function writeFixedSources(outcome: FixOutcome): void {
  for (const source of outcome.sources) {
    if (outcome.changed.includes(source.file)) writeFileAtomically(source.file, encodeConfigText(source.text, source.encoding));
  }
}
