/** The fix shared by program/removed and hpm/unguarded-extension: wrap lines in `.if defined(HPM_RUN)`. */
import type { ConfigFile, Line } from '../syntax/index.js';
import type { Fix } from './types.js';

/** True when the `.if`/`.endif` lines among `lines` close every block they open. */
export function conditionsBalanced(lines: readonly Line[]): boolean {
  let depth = 0;
  for (const line of lines) {
    if (line.kind !== 'directive') continue;
    if (line.keyword === '.if') depth++;
    else if (line.keyword === '.endif' && --depth < 0) return false;
  }
  return depth === 0;
}

/**
 * Replaces consecutive `lines` of `file` by the same lines between `.if defined(HPM_RUN)` and
 * `.endif` (at column 0, as hpm-run.md shows). Undefined when that would break `.if` nesting.
 */
export function wrapInHpmRunGuard(file: ConfigFile, lines: readonly Line[]): Fix | undefined {
  if (lines.length === 0 || !conditionsBalanced(lines)) return undefined;
  const start = lines[0]!.span.start.offset;
  const last = lines[lines.length - 1]!;
  const end = last.span.end.offset;
  const body = file.text.slice(start, end);
  return { range: [start, end], text: `.if defined(HPM_RUN)\n${body}${last.eol === '' ? '\n' : ''}.endif\n` };
}
