/**
 * The keyword/* rules on the mistakes people make: each finding's rule, line, column and words,
 * and, where the Debian HAProxy 2.6 binary is here, the lines it refuses and the word it suggests.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { catalogueVersions, keywordInfo } from '../../src/model/keywords/index.js';
import { haproxyBinary } from '../helpers/haproxy-binaries.js';
import { lintText } from './rule-helpers.js';

const scratch = mkdtempSync(join(tmpdir(), 'hpm-keyword-rules-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const haproxy26 = haproxyBinary('2.6');

function findings(text: string, options: Parameters<typeof lintText>[2] = {}) {
  return lintText(text, 'haproxy.cfg', options)
    .results.flatMap((r) => r.diagnostics)
    .map((d) => ({ rule: d.ruleId, severity: d.severity, line: d.span.start.line, column: d.span.start.column, message: d.message, hint: d.hint ?? '' }));
}

/** The lines `haproxy -c` 2.6 reports fatal errors on, with the word it suggests on each. */
function haproxyFatalLines(text: string): Map<number, string | undefined> {
  const path = join(scratch, `check-${Math.random().toString(36).slice(2)}.cfg`);
  writeFileSync(path, text);
  const run = spawnSync((haproxy26 as { path: string }).path, ['-c', '-f', path], { encoding: 'utf8' });
  const lines = new Map<number, string | undefined>();
  for (const m of `${run.stdout}${run.stderr}`.matchAll(/\[ALERT\].*?parsing \[[^\]]+:(\d+)\][^\n]*/g)) {
    lines.set(Number(m[1]), /did you mean '([^']+)'/.exec(m[0])?.[1] ?? lines.get(Number(m[1])));
  }
  return lines;
}

const TYPOS = `global
    maser-worker

defaults
    mode http
    timeout client 5s

fronted fe
    bind :80
    defualt_backend be

backend be
    sever s1 127.0.0.1:8080
`;

describe('keyword/unknown on the four classic typos', () => {
  const found = findings(TYPOS, { haproxyVersion: '2.6' }).filter((f) => f.rule === 'keyword/unknown');

  it('reports each typo as an error at its line and column with a did-you-mean', () => {
    const typo = (line: number) => found.find((f) => f.line === line);
    expect(typo(2)).toMatchObject({ severity: 'error', column: 5, message: "unknown keyword 'maser-worker' in 'global' section" });
    expect(typo(2)!.hint).toContain("did you mean 'master-worker'?");
    expect(typo(8)).toMatchObject({ column: 1, message: "unknown keyword 'fronted' in 'defaults' section" });
    expect(typo(8)!.hint).toContain("did you mean 'frontend'?");
    expect(typo(10)).toMatchObject({ column: 5, message: "unknown keyword 'defualt_backend' in 'defaults' section" });
    expect(typo(10)!.hint).toContain("did you mean 'default_backend'?");
    expect(typo(13)).toMatchObject({ column: 5, message: "unknown keyword 'sever' in 'backend' section" });
    expect(typo(13)!.hint).toContain("did you mean 'server'?");
  });

  it("says a keyword of another section is not allowed here and where it belongs ('bind' after the misspelt frontend)", () => {
    const bind = found.find((f) => f.line === 9)!;
    expect(bind.message).toBe("'bind' not allowed in 'defaults' section");
    expect(bind.hint).toContain("'frontend', 'listen'");
  });

  it.skipIf(!('path' in haproxy26))('blames the same lines as haproxy -c 2.6 and suggests the same words', () => {
    const blamed = haproxyFatalLines(TYPOS);
    expect([...blamed.keys()].sort((a, b) => a - b)).toEqual(found.map((f) => f.line));
    for (const f of found) {
      const suggested = blamed.get(f.line);
      if (suggested) expect(f.hint).toContain(`did you mean '${suggested}'?`);
    }
  });
});

describe('keyword/extra-argument: words after a section keyword that HAProxy refuses', () => {
  const text = 'global extra\n    daemon\ndefaults d extra\n    mode http\nfrontend f *:80\n    bind :81\nbackend b extra\n    server s 127.0.0.1:80\nlisten l 0.0.0.0:82\n    server s 127.0.0.1:80\npeers p x\nuserlist u x\n';

  it('flags the address of a frontend or listen and the extra word of global, peers, userlist; not defaults or backend', () => {
    const found = findings(text, { haproxyVersion: '2.6' }).filter((f) => f.rule === 'keyword/extra-argument');
    expect(found.map((f) => [f.line, f.column, f.message])).toEqual([
      [1, 8, "'global' cannot handle unexpected argument 'extra'"],
      [5, 12, "'frontend' takes no address: please use the 'bind' keyword for listening addresses"],
      [9, 10, "'listen' takes no address: please use the 'bind' keyword for listening addresses"],
      [11, 9, "'peers' cannot handle unexpected argument 'x'"],
      [12, 12, "'userlist' cannot handle unexpected argument 'x'"],
    ]);
  });

  it.skipIf(!('path' in haproxy26))('on the section lines haproxy -c 2.6 refuses (it also refuses the lines of a proxy it did not create)', () => {
    const blamed = [...haproxyFatalLines(text).keys()];
    for (const line of [1, 5, 9, 11, 12]) expect(blamed).toContain(line);
    expect(blamed).not.toContain(3);
    expect(blamed).not.toContain(7);
  });
});

describe('keywords of the other side of a proxy', () => {
  const text = 'frontend f\n    bind :8080\n    server s1 127.0.0.1:80\n    cookie SRV insert\n    balance roundrobin\nbackend b\n    bind :8081\n    default_backend x\ndefaults\n    bind :80\n';

  it('are errors where HAProxy refuses them (server in a frontend, bind in defaults), silent where it only ignores them', () => {
    const found = findings(text, { haproxyVersion: '2.6' }).filter((f) => f.rule === 'keyword/unknown');
    expect(found.map((f) => [f.line, f.message])).toEqual([
      [3, "'server' not allowed in 'frontend' section"],
      [10, "'bind' not allowed in 'defaults' section"],
    ]);
  });

  it.skipIf(!('path' in haproxy26))('as haproxy -c 2.6 does', () => {
    expect([...haproxyFatalLines(text).keys()].sort((a, b) => a - b)).toEqual([3, 10]);
  });
});

describe('the version the keywords are checked against', () => {
  it('is 3.2 when none is given, and the first keyword finding says so', () => {
    const all = findings('global\n    maser-worker\n    daemn\n', {}).filter((f) => f.rule.startsWith('keyword/'));
    expect(all).toHaveLength(2);
    expect(all[0]!.message).toContain('checked against HAProxy 3.2, the default');
    expect(all[1]!.message).not.toContain('checked against');
  });

  it('reads X.Y.Z as its branch and a branch the catalogue skips as its two neighbours', () => {
    expect(catalogueVersions('2.6.12')).toEqual(['2.6']);
    expect(catalogueVersions('2.1')).toEqual(['2.0', '2.2']);
    expect(catalogueVersions('3.9')).toEqual(['3.4']);
    // fcgi-app came with 2.1: no false "too new" for 2.1, but too new for 2.0.
    const text = 'fcgi-app php\n    docroot /var/www\n';
    expect(findings(text, { haproxyVersion: '2.1' }).filter((f) => f.rule.startsWith('keyword/'))).toEqual([]);
  });
});

describe('section keywords of newer versions (HAProxy 2.6 has no crt-store)', () => {
  const atTop = 'crt-store\n    load crt a.pem\n';
  const afterProgram = 'global\n    master-worker\nprogram p\n    command sleep 1\ncrt-store\n    load crt a.pem\n';

  it('at the top of a file: both lines are unknown keywords out of section', () => {
    const found = findings(atTop, { haproxyVersion: '2.6' }).filter((f) => f.severity === 'error');
    expect(found.map((f) => [f.rule, f.line, f.column, f.message])).toEqual([
      ['syntax/keyword-out-of-section', 1, 1, "unknown keyword 'crt-store' out of section."],
      ['syntax/keyword-out-of-section', 2, 5, "unknown keyword 'load' out of section."],
    ]);
    expect(findings(atTop, { haproxyVersion: '3.0' }).filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('after a program section: both lines are unknown keywords of that program section', () => {
    const found = findings(afterProgram, { haproxyVersion: '2.6' }).filter((f) => f.severity === 'error');
    expect(found.map((f) => [f.rule, f.line])).toEqual([
      ['keyword/too-new', 5],
      ['keyword/unknown', 6],
    ]);
    expect(found[0]!.message).toContain("'crt-store' opens a section only from HAProxy 3.0");
    expect(found[1]!.message).toBe("unknown keyword 'load' in 'program' section");
  });

  it.skipIf(!('path' in haproxy26))('are the lines haproxy -c 2.6 refuses', () => {
    expect([...haproxyFatalLines(atTop).keys()]).toEqual([1, 2]);
    expect([...haproxyFatalLines(afterProgram).keys()]).toEqual([5, 6]);
  });
});

describe("keyword/no-prefix: 'no' and 'default' outside program sections", () => {
  const text = 'no global\ndefault global\nglobal\n    default\n    no\n    no daemon\n    no log\ndefaults\n    no option httplog\n    default option redispatch\n';

  it("flags 'no global', 'default global', a lone 'default', a lone 'no' and 'no daemon', not 'no log' nor 'no option'", () => {
    const found = findings(text, { haproxyVersion: '2.6' }).filter((f) => f.rule === 'keyword/no-prefix');
    expect(found.map((f) => [f.line, f.column])).toEqual([
      [1, 1],
      [2, 1],
      [4, 5],
      [5, 5],
      [6, 5],
    ]);
    expect(found[0]!.message).toBe("'no global': HAProxy 2.6 supports 'no' only on busy-polling, insecure-fork-wanted, log, numa-cpu-mapping, option, set-dumpable, strict-limits");
    expect(found[2]!.message).toBe("'default' without a keyword");
  });

  it.skipIf(!('path' in haproxy26))('matches the lines haproxy -c 2.6 refuses for the modifier', () => {
    const blamed = haproxyFatalLines(text);
    for (const line of [1, 2, 4, 5, 6]) expect(blamed.has(line), `line ${line}`).toBe(true);
    expect(blamed.has(7)).toBe(false);
  });
});

describe('keywords that came, went or are on their way out', () => {
  it('keyword/removed: reqadd under 2.6 names its replacement; under 2.0 it is fine', () => {
    const text = 'frontend fe\n    bind :80\n    reqadd X-Forwarded-Proto:\\ https\n';
    const removed = findings(text, { haproxyVersion: '2.6' }).filter((f) => f.rule === 'keyword/removed');
    expect(removed).toMatchObject([{ line: 3, column: 5, severity: 'error' }]);
    expect(removed[0]!.message).toContain(`since HAProxy ${keywordInfo('frontend', 'reqadd')!.removed}`);
    expect(removed[0]!.hint).toBe("use 'http-request add-header' instead");
    expect(findings(text, { haproxyVersion: '2.0' }).filter((f) => f.rule === 'keyword/removed')).toEqual([]);
  });

  it('keyword/too-new: guid in a frontend under 2.8, not under 3.0', () => {
    const text = 'frontend fe\n    bind :80\n    guid fe-1\n';
    const tooNew = findings(text, { haproxyVersion: '2.8' }).filter((f) => f.rule === 'keyword/too-new');
    expect(tooNew).toMatchObject([{ line: 3, column: 5, message: "'guid' is a keyword of 'frontend' sections only from HAProxy 3.0" }]);
    expect(tooNew[0]!.hint).toContain('.if version_atleast(3.0)');
    expect(findings(text, { haproxyVersion: '3.0' }).filter((f) => f.rule === 'keyword/too-new')).toEqual([]);
  });

  it('keyword/deprecated: master-worker in global under 3.3 is a warning with what replaces it', () => {
    const found = findings('global\n    master-worker\n', { haproxyVersion: '3.3' }).filter((f) => f.rule === 'keyword/deprecated');
    expect(found).toMatchObject([{ severity: 'warning', line: 2, column: 5 }]);
    expect(found[0]!.hint).toBe('use the -W command line option instead');
    expect(findings('global\n    master-worker\n', { haproxyVersion: '3.2' }).filter((f) => f.rule === 'keyword/deprecated')).toEqual([]);
  });
});
