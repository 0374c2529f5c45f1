/**
 * A keyword before any section: the parser's findings, plus the lines that are out of section
 * only for the targeted version (a `crt-store` section under 2.6 opens nothing, so it and its
 * lines are "unknown keyword ... out of section" at the top of a file).
 */
import { sectionInfo } from '../../../model/keywords/index.js';
import { defineRule } from '../support.js';
import { placementOf } from '../keyword/placement.js';

export const rule = defineRule(
  {
    id: 'syntax/keyword-out-of-section',
    defaultSeverity: 'error',
    description: 'A keyword before any section.',
    versions: { from: '2.0' },
  },
  (context) => {
    for (const d of context.parserDiagnostics) {
      if (d.ruleId !== 'syntax/keyword-out-of-section') continue;
      context.report({ file: d.file, span: d.span, message: d.message, ...(d.hint ? { hint: d.hint } : {}) });
    }
    if (context.view !== 'haproxy') return;
    const placement = placementOf(context);
    for (const placed of placement.lines) {
      const { line, word, keyword } = placed;
      // Before any section by position: the parser said so already.
      if (placed.section || placed.opensSection || !word || line.structuralSectionIndex === undefined && line.kind !== 'section') continue;
      if (keyword === 'program') continue; // program/removed
      const opener = placed.foreignSection ? keyword : placed.file.structuralSections[line.structuralSectionIndex!]?.keyword;
      const info = opener ? sectionInfo(opener) : undefined;
      context.report({
        file: placed.file.file,
        span: word.span,
        message: `unknown keyword '${keyword}' out of section.`,
        hint: info ? `HAProxy ${placement.version} has no '${opener}' section (${info.removed ? `removed in ${info.removed}` : `it exists from ${info.since}`})` : `put it inside a section`,
      });
    }
  },
);
