/**
 * A keyword no version of HAProxy knows in this section: HAProxy's fatal "unknown keyword 'x' in
 * 'y' section". The hint suggests the closest keyword of that section and version, or names the
 * sections the keyword belongs to.
 */
import { ALL_SECTIONS, keywordsOf, sectionInfo, sectionsHaving, sectionsOf } from '../../../model/keywords/index.js';
import { closest, defineRule } from '../support.js';
import { placementOf, reportPlaced } from './placement.js';

const PROXIES = new Set(['defaults', 'frontend', 'backend', 'listen']);
const IGNORING = new Set(['frontend', 'backend']);

export const rule = defineRule(
  {
    id: 'keyword/unknown',
    defaultSeverity: 'error',
    description: 'A keyword that its section does not know in any HAProxy version.',
    versions: { from: '2.0' },
    views: ['haproxy'],
  },
  (context) => {
    const placement = placementOf(context);
    const { version } = placement;
    for (const placed of placement.lines) {
      const { section, keyword, word, line } = placed;
      if (!section || placed.programLine || placed.opensSection || placed.foreignSection || !word || keyword === '') continue;
      // Owned by program/unknown-keyword and syntax/unknown-section: `command` outside a program, `Frontend`.
      if (keyword === 'command' || (keyword !== keyword.toLowerCase() && ALL_SECTIONS.has(keyword.toLowerCase()))) continue;
      if (placed.info || sectionInfo(section)?.lenient) continue;
      // HAProxy suggests section keywords too (`fronted` -> 'frontend').
      const meant = closest(keyword, [...keywordsOf(section, version), ...sectionsOf(version)]);
      const elsewhere = sectionsHaving(keyword, version);
      const otherSide = PROXIES.has(section) && elsewhere.some((s) => PROXIES.has(s));
      // In a frontend or backend HAProxy ignores most keywords of the other side with a warning.
      if (otherSide && IGNORING.has(section) && !sectionInfo(section)?.notAllowed?.includes(keyword)) continue;
      const parserSection = line.structuralSectionIndex === undefined ? undefined : placed.file.structuralSections[line.structuralSectionIndex]?.keyword;
      const hints: string[] = [];
      if (meant && elsewhere.length === 0) hints.push(`did you mean '${meant}'?`);
      if (elsewhere.length) hints.push(`'${keyword}' is a keyword of ${elsewhere.map((s) => `'${s}'`).join(', ')} section${elsewhere.length > 1 ? 's' : ''}`);
      if (parserSection && parserSection !== section) hints.push(`HAProxy ${version} has no '${parserSection}' section, so this line is read in the '${section}' section above it`);
      reportPlaced(context, placement, placed, {
        // HAProxy's own words: a proxy keyword in a proxy section that lacks it is "not allowed".
        message: `${otherSide ? `'${keyword}' not allowed in` : `unknown keyword '${keyword}' in`} '${section}' section`,
        ...(hints.length ? { hint: hints.join('; ') } : {}),
      });
    }
  },
);
