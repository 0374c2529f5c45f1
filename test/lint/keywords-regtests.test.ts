/**
 * HAProxy's own regression tests hold hundreds of configurations its version accepts (every
 * `haproxy hN -conf { ... }` block that is not `-conf-BAD`): the keyword rules must find no
 * error in any of them under that version. The sources come from HPM_HAPROXY_SOURCES or the
 * shared directory beside the repository (haproxy/haproxy-X.Y.Z.tar.gz).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintSources } from '../../src/lint/index.js';
import { skipReason } from '../helpers/env.js';

const sourcesDir = process.env.HPM_HAPROXY_SOURCES ?? resolve(__dirname, '../../../shared/haproxy');
const scratch = mkdtempSync(join(tmpdir(), 'hpm-regtests-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The accepted configurations of a reg-tests tree: file name and text of each block. */
function acceptedConfigs(root: string): { file: string; text: string }[] {
  const configs: { file: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) walk(path);
      else if (name.endsWith('.vtc')) {
        const text = readFileSync(path, 'utf8');
        for (const m of text.matchAll(/haproxy\s+\S+[^\n{]*?-conf(-OK|-BAD[^{]*)?\s*\{/g)) {
          let i = m.index + m[0].length;
          const start = i;
          for (let depth = 1; i < text.length && depth > 0; i++) depth += text[i] === '{' ? 1 : text[i] === '}' ? -1 : 0;
          if (m[1]?.startsWith('-BAD')) continue;
          configs.push({ file: `${path.slice(root.length + 1)}@${m.index}`, text: `${text.slice(start, i - 1)}\n` });
        }
      }
    }
  };
  walk(root);
  return configs;
}

for (const release of ['3.2.0', '3.3.0', '3.4.0']) {
  const tarball = join(sourcesDir, `haproxy-${release}.tar.gz`);
  const version = release.slice(0, 3);
  const skip = skipReason(`the keyword test on HAProxy ${release}'s regression configs`, existsSync(tarball), `${tarball} is not present`);
  describe.skipIf(skip)(`HAProxy ${release}'s regression-test configurations`, () => {
    it(`get no keyword error under --haproxy-version ${version}`, () => {
      execFileSync('tar', ['xzf', tarball, '-C', scratch, '--wildcards', '*/reg-tests/*']);
      const configs = acceptedConfigs(join(scratch, `haproxy-${release}`, 'reg-tests'));
      expect(configs.length).toBeGreaterThan(200);
      const errors: string[] = [];
      for (const { file, text } of configs) {
        const result = lintSources([{ file, text, encoding: 'utf8' }], { haproxyVersion: version, hostChecks: false, masterWorker: true, view: 'haproxy', env: {} });
        for (const d of result.results.flatMap((r) => r.diagnostics)) {
          if (d.severity === 'error' && (d.ruleId.startsWith('keyword/') || d.ruleId === 'syntax/keyword-out-of-section')) errors.push(`${file}:${d.span.start.line} ${d.ruleId} ${d.message}`);
        }
      }
      expect(errors).toEqual([]);
    });
  });
}
