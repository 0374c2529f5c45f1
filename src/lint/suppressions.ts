/**
 * Suppression comments:
 *   # hpm-lint disable-next-line <id>[,<id>] -- reason   (above a `program` line: the whole section)
 *   <line>  # hpm-lint disable-line <id>[,<id>]
 *   # hpm-lint disable <id>  ...  # hpm-lint enable <id>
 * No id means every rule. Suppressions that suppress nothing are reported (hpm/unused-suppression).
 */
import type { ConfigFile, Span } from '../syntax/index.js';
import type { LintDiagnostic } from './types.js';

const DIRECTIVE = /^#\s*hpm-lint\s+(disable-next-line|disable-line|disable|enable)\b\s*(.*)$/;

export interface Suppression {
  file: string;
  /** Undefined = every rule. */
  ruleIds?: string[];
  fromLine: number;
  toLine: number;
  comment: Span;
  /** The ids (or `*`) that suppressed at least one diagnostic. */
  used: Set<string>;
}

function parseIds(rest: string): string[] | undefined {
  const list = rest.split(/\s--\s|^--\s|\s--$|^--$/)[0]!.trim();
  if (list === '') return undefined;
  return list
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function collectSuppressions(file: ConfigFile): Suppression[] {
  const out: Suppression[] = [];
  const open = new Map<string, Suppression>(); // `disable` blocks by id list key
  const lastLine = file.lines.length;
  for (const line of file.lines) {
    if (!line.comment) continue;
    const m = DIRECTIVE.exec(line.comment.raw.trimEnd());
    if (!m) continue;
    const kind = m[1]!;
    const ruleIds = parseIds(m[2] ?? '');
    const base = { file: file.file, comment: line.comment.span, used: new Set<string>(), ...(ruleIds ? { ruleIds } : {}) };
    if (kind === 'disable-line') {
      out.push({ ...base, fromLine: line.number, toLine: line.number });
    } else if (kind === 'disable-next-line') {
      const next = file.lines[line.number]; // lines are 1-based, the array 0-based
      let toLine = line.number + 1;
      if (next && next.kind === 'section' && next.keyword === 'program' && next.structuralSectionIndex !== undefined) {
        const section = file.structuralSections[next.structuralSectionIndex]!;
        toLine = section.lines.length > 0 ? section.lines[section.lines.length - 1]!.number : next.number;
      }
      out.push({ ...base, fromLine: line.number + 1, toLine });
    } else if (kind === 'disable') {
      const s: Suppression = { ...base, fromLine: line.number + 1, toLine: lastLine };
      open.set((ruleIds ?? ['*']).join(','), s);
      out.push(s);
    } else {
      const key = (ruleIds ?? ['*']).join(',');
      const s = open.get(key);
      if (s) {
        s.toLine = line.number;
        open.delete(key);
      }
    }
  }
  return out;
}

/** Splits diagnostics into kept and suppressed, marking which suppressions were used. */
export function applySuppressions(diagnostics: LintDiagnostic[], suppressions: Suppression[]): LintDiagnostic[] {
  return diagnostics.filter((d) => {
    const line = d.span.start.line;
    let suppressed = false;
    for (const s of suppressions) {
      if (s.file !== d.file || line < s.fromLine || line > s.toLine) continue;
      if (!s.ruleIds) {
        s.used.add('*');
        suppressed = true;
      } else if (s.ruleIds.includes(d.ruleId)) {
        s.used.add(d.ruleId);
        suppressed = true;
      }
    }
    return !suppressed;
  });
}

export function unusedSuppressionFindings(suppressions: Suppression[], knownIds: ReadonlySet<string>): { file: string; span: Span; message: string; hint: string }[] {
  const out: { file: string; span: Span; message: string; hint: string }[] = [];
  for (const s of suppressions) {
    if (!s.ruleIds) {
      if (!s.used.has('*')) out.push({ file: s.file, span: s.comment, message: 'unused suppression: no problem to suppress here', hint: 'remove the comment' });
      continue;
    }
    for (const id of s.ruleIds) {
      if (s.used.has(id)) continue;
      out.push({
        file: s.file,
        span: s.comment,
        message: knownIds.has(id) ? `unused suppression of '${id}': no such problem here` : `'${id}' is not an hpm-lint rule`,
        hint: knownIds.has(id) ? `remove '${id}' from the comment` : 'rule ids look like program/missing-command; see docs/rules/',
      });
    }
  }
  return out;
}
