/**
 * `after` lines that make a cycle (a after b, b after a): none of those programs could ever
 * start. Reported once per cycle, on the `after` of the cycle's first program in the file.
 */
import type { KeywordUse, ProgramSection } from '../../../model/index.js';
import { defineRule } from '../support.js';

export const rule = defineRule(
  { id: 'hpm/after-cycle', defaultSeverity: 'error', description: "'after' lines that make a cycle: none of its programs could start.", versions: { from: '2.0' }, views: ['hpm-run'] },
  (context) => {
    const byName = new Map<string, ProgramSection>();
    for (const p of context.model.programs) if (!byName.has(p.name)) byName.set(p.name, p);
    const afterUses = new Map<string, KeywordUse[]>();
    for (const p of byName.values()) afterUses.set(p.name, p.extensionUses.filter((u) => u.line.keyword === 'after'));
    const reported = new Set<string>();
    for (const start of byName.values()) {
      // Depth-first from each program: a path back to it is a cycle. A name explored once without
      // reaching the start cannot reach it later either, so each is explored once per start
      // (linear, not one walk per path).
      const path: string[] = [];
      const explored = new Set<string>();
      const visit = (name: string): string[] | undefined => {
        if (name === start.name && path.length > 0) return [...path];
        if (explored.has(name) || !byName.has(name)) return undefined;
        explored.add(name);
        path.push(name);
        for (const use of afterUses.get(name)!) for (const next of use.args) {
          const found = visit(next);
          if (found) return found;
        }
        path.pop();
        return undefined;
      };
      const cycle = visit(start.name);
      if (!cycle) continue;
      const key = [...cycle].sort().join('\0');
      if (reported.has(key)) continue;
      reported.add(key);
      const next = cycle[1] ?? start.name;
      const use = afterUses.get(start.name)!.find((u) => u.args.includes(next))!;
      const word = use.line.words[1 + use.args.indexOf(next)] ?? use.line.words[0]!;
      context.report({
        file: start.file,
        span: word.span,
        message: `'after' makes a cycle: ${[...cycle, start.name].map((n) => `'${n}'`).join(' -> ')}`,
        hint: "remove one of these 'after' names: a program in a cycle never starts",
      });
    }
  },
);
