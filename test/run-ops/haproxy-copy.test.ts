/** HAProxy's copy of the configuration: program sections blanked, every other byte kept. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HaproxyChild, withoutProgramSections } from '../../src/run/haproxy-child.js';
import { Logger } from '../../src/run/log.js';
import type { ConfigSourceText } from '../../src/run/spec.js';
import { expandConfigPaths, readConfigSource } from '../../src/model/index.js';
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

describe('HaproxyChild.prepare', () => {
  it.skipIf(skipReason('haproxy -c on the copies', haproxyAvailable, 'haproxy is not installed'))('keeps the live copy\'s file names when HAProxy rejects the next copy', async () => {
    const tmp = tempDir('copynames');
    const confd = join(tmp.dir, 'conf.d');
    mkdirSync(confd);
    writeFileSync(join(confd, 'b.cfg'), 'global\n    master-worker\nfrontend fe\n    mode http\n    bind 127.0.0.1:8080\n');
    const logged: string[] = [];
    const child = new HaproxyChild({ binary: 'haproxy', logger: new Logger(1, (text) => logged.push(text)), env: process.env });
    const validated = (): ConfigSourceText[] => expandConfigPaths([confd]).map(readConfigSource);
    try {
      expect(await child.prepare(validated())).toBeUndefined();
      child.spawnSpec(); // the accepted copy becomes the live one
      // A new file sorts first: the rejected set numbers its copies differently.
      writeFileSync(join(confd, 'a.cfg'), 'frontend broken\n    no-such-keyword\n');
      expect(await child.prepare(validated())).toMatch(/rejected the configuration/);
      expect(logged.join('')).toContain(`${join(confd, 'a.cfg')}:2`);
      // HAProxy still runs the live copy: its messages must name b.cfg.
      const live = join(dirname(child.cliPath), 'cfg', '0000-b.cfg');
      const originalNames = (text: string): string => (child as unknown as { originalNames(text: string): string }).originalNames(text);
      expect(originalNames(`[NOTICE] parsing [${live}:3]`)).toBe(`[NOTICE] parsing [${join(confd, 'b.cfg')}:3]`);
    } finally {
      child.close();
      tmp.cleanup();
    }
  });
});
