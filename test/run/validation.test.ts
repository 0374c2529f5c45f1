/**
 * hpm-run validates the configuration it loaded with hpm-lint's rules, on that same reading (no
 * second parse): what it reports must be exactly what hpm-lint's hpm-run reader reports from the
 * files, so that hpm-run and hpm-lint never disagree.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintSources } from '../../src/lint/engine.js';
import { fileAccounts, loadConfig } from '../../src/model/index.js';
import { validateConfig } from '../../src/run/config.js';
import { corpusAvailable, corpusEntries } from '../helpers/corpus.js';

const ROOT = join(__dirname, '../..');
const accounts = fileAccounts({ users: ['root', 'haproxy', 'nobody'], groups: ['root', 'haproxy', 'nogroup'] });
const env = { PATH: '/usr/bin:/bin', HPM_RUN: '1' };

/** Without a version (hpm-run alone) and with the versions `--haproxy` binaries report. */
function sameVerdicts(path: string): void {
  for (const haproxyVersion of [undefined, '2.6.12', '3.4.0']) {
    const version = haproxyVersion ? { haproxyVersion } : {};
    const loaded = loadConfig([path], { env, ...version });
    const reused = validateConfig(loaded, accounts, env, haproxyVersion);
    const fresh = lintSources(loaded.sources, { masterWorker: true, view: 'hpm-run', hostChecks: false, accounts, env, ...version }).results.flatMap((r) => r.diagnostics);
    expect(reused, `${path} read as ${haproxyVersion ?? 'the default version'}`).toEqual(fresh);
  }
}

describe("hpm-run's validation of what it loaded equals hpm-lint's hpm-run reader", () => {
  const fixtures = ['fixtures', 'fixtures/run', 'fixtures/ops'].flatMap((dir) =>
    readdirSync(join(ROOT, dir))
      .filter((f) => f.endsWith('.cfg'))
      .map((f) => join(ROOT, dir, f)),
  );
  it.each(fixtures)('%s', (path) => sameVerdicts(path));

  it.skipIf(!corpusAvailable)('every corpus file (120 real configurations)', () => {
    for (const entry of corpusEntries()) sameVerdicts(entry.path);
  });
  if (!corpusAvailable) console.log('validation.test: corpus not found beside the repository, its case is skipped');
});
