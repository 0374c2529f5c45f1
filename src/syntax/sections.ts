/**
 * HAProxy's section keywords by version (haproxy.md §1.9). The one place that knows them.
 */
import { compareVersions } from './conditions.js';

interface SectionKeywordChange {
  version: string;
  added: string[];
  removed?: string[];
}

const CHANGES: SectionKeywordChange[] = [
  // Before 2.0 (release notes of 1.4-1.8): everything 2.0 has except `program`.
  { version: '1.0', added: ['global', 'defaults', 'frontend', 'backend', 'listen'] },
  { version: '1.4', added: ['userlist'] },
  { version: '1.5', added: ['peers'] },
  { version: '1.6', added: ['mailers', 'resolvers', 'namespace_list'] },
  { version: '1.8', added: ['cache'] },
  { version: '2.0', added: ['program'] },
  { version: '2.1', added: ['fcgi-app'] },
  { version: '2.2', added: ['http-errors', 'ring'] },
  { version: '2.3', added: ['log-forward'] },
  { version: '3.0', added: ['crt-store'] },
  { version: '3.2', added: ['acme', 'log-profile', 'traces'] },
  { version: '3.3', added: [], removed: ['program'] },
  { version: '3.5', added: ['healthcheck'] },
];

/** Every word that opens a section in some version: the parser's structural view. */
export const ALL_SECTION_KEYWORDS: ReadonlySet<string> = new Set(CHANGES.flatMap((c) => c.added));

/** The section keywords of one HAProxy version. */
export function sectionKeywordsOf(version: string): ReadonlySet<string> {
  const keywords = new Set<string>();
  for (const change of CHANGES) {
    if (compareVersions(version, change.version) < 0) break;
    change.added.forEach((k) => keywords.add(k));
    change.removed?.forEach((k) => keywords.delete(k));
  }
  return keywords;
}

/** The first version whose section keywords include `keyword`, if any. */
export function sectionKeywordSince(keyword: string): string | undefined {
  return CHANGES.find((c) => c.added.includes(keyword))?.version;
}
