/**
 * The checked-in keyword catalogue: it covers every section the manuals describe, and it holds
 * everything scripts/generate-keywords.mjs reads from the manuals today (so a change to the
 * generator or the manuals that is not regenerated fails here). The manuals come from
 * HPM_HAPROXY_DOCS or the shared directory beside the repository (haproxy/docs).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_SECTIONS, CATALOGUE_VERSIONS, keywordInfo, keywordsOf, modifiableKeywords, sectionsOf } from '../../src/model/keywords/index.js';
import { skipReason } from '../helpers/env.js';

const root = resolve(__dirname, '../..');
const docs = process.env.HPM_HAPROXY_DOCS ?? resolve(root, '../shared/haproxy/docs');

describe('the keyword catalogue', () => {
  it('describes HAProxy 2.0 to 3.4 and the sections of every one of them', () => {
    expect(CATALOGUE_VERSIONS).toEqual(['2.0', '2.2', '2.4', '2.6', '2.8', '3.0', '3.1', '3.2', '3.3', '3.4']);
    for (const s of ['global', 'defaults', 'frontend', 'backend', 'listen', 'peers', 'resolvers', 'userlist', 'mailers', 'http-errors', 'ring', 'cache', 'fcgi-app', 'program', 'crt-store', 'traces', 'acme', 'log-forward', 'log-profile']) {
      expect(ALL_SECTIONS.has(s), s).toBe(true);
    }
    expect(sectionsOf('2.6').has('crt-store')).toBe(false);
    expect(sectionsOf('3.0').has('crt-store')).toBe(true);
    expect(sectionsOf('3.3').has('program')).toBe(false);
    expect(keywordsOf('global', '3.2').length).toBeGreaterThan(250);
  });

  it('knows which keywords take no/default, and what replaces a removed one', () => {
    expect([...modifiableKeywords('2.6')].sort()).toEqual(['busy-polling', 'insecure-fork-wanted', 'log', 'numa-cpu-mapping', 'option', 'set-dumpable', 'strict-limits']);
    expect(keywordInfo('frontend', 'reqadd')).toMatchObject({ removed: '2.1', replacement: 'http-request add-header' });
    expect(keywordInfo('global', 'nbproc')).toMatchObject({ removed: '2.5', replacement: 'nbthread' });
  });

  const skip = skipReason('the catalogue-versus-manuals test', existsSync(join(docs, 'configuration-3.4.txt.gz')), `${docs} has no manuals`);
  it.skipIf(skip)('holds every keyword the generator reads from the manuals, from the same version on', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'hpm-catalogue-'));
    try {
      const out = join(scratch, 'manual-only.json');
      execFileSync(process.execPath, [join(root, 'scripts/generate-keywords.mjs'), '--docs', docs, '--out', out], { stdio: 'ignore' });
      const fromManuals = JSON.parse(readFileSync(out, 'utf8')) as { sections: Record<string, { keywords: Record<string, { since: string }> }> };
      const missing: string[] = [];
      for (const [section, { keywords }] of Object.entries(fromManuals.sections)) {
        for (const [keyword, { since }] of Object.entries(keywords)) {
          const known = keywordInfo(section, keyword);
          if (!known || known.since > since) missing.push(`${section} ${keyword} (manual: since ${since}; catalogue: ${known?.since ?? 'absent'})`);
        }
      }
      expect(missing).toEqual([]);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
