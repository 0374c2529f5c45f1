/** HAProxy's copy of the configuration: program sections blanked, every other byte kept. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withoutProgramSections } from '../../src/run/haproxy-child.js';
import { parse } from '../../src/syntax/index.js';
import { haproxyAvailable, skipReason } from '../helpers/env.js';
import { tempDir } from './helpers.js';

const CONFIG = [
  'global',
  '    master-worker',
  '',
  'program api',
  '    command /usr/bin/sleep 100   # inline',
  '.if defined(HPM_RUN)',
  '    restart on-failure',
  '.endif',
  '',
  'frontend fe',
  '    mode http\r',
  '    bind 127.0.0.1:8080',
  '.if defined(HPM_RUN)',
  'program guarded',
  '    command true',
  '.endif',
  'backend be',
  '    server s1 127.0.0.1:8081',
].join('\n') + '\n';

describe('withoutProgramSections', () => {
  const copy = withoutProgramSections(parse(CONFIG, { file: 'haproxy.cfg' }).ast);

  it('blanks the program lines, keeps directives and every other byte, keeps line numbers', () => {
    const expected = CONFIG.split('\n').map((line) => (/^(program |    command |    restart )/.test(line) ? '' : line));
    expect(copy.split('\n')).toEqual(expected);
    expect(copy.length).toBeLessThan(CONFIG.length);
  });

  it.skipIf(skipReason('haproxy -c on the copy', haproxyAvailable, 'haproxy is not installed'))('is a configuration haproxy 2.6 accepts without -W and without programs', () => {
    const tmp = tempDir('copy');
    try {
      mkdirSync(join(tmp.dir, 'd'));
      writeFileSync(join(tmp.dir, 'd', 'x.cfg'), copy.replace('    mode http\r', '    mode http'));
      const out = execFileSync('haproxy', ['-c', '-f', join(tmp.dir, 'd')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(out).toMatch(/Configuration file is valid/);
    } finally {
      tmp.cleanup();
    }
  });
});
