/** The four output formats: stylish for people, ESLint's JSON, SARIF 2.1.0 and GitHub annotations. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatResult, RULES } from '../../src/lint/index.js';
import { lintText } from './rule-helpers.js';

const root = resolve(__dirname, '../..');
const file = 'conf/haproxy.cfg';
const text = 'program api\n    command tail -f x | logger\n    user nobody\n    option foo\nprogram api\n    command sleep 1\n';
const result = lintText(text, file);
const texts = new Map([[file, text]]);
const ESC = '\u001b[';

describe('stylish', () => {
  const out = formatResult('stylish', result, { texts, colorLevel: 0 });
  it('shows file:line:col, severity, message and rule id on one line', () => {
    expect(out).toMatch(/conf\/haproxy\.cfg:4:12 {2}error {2}unknown option 'foo'\. {2}program\/unknown-option/);
    expect(out).toMatch(/conf\/haproxy\.cfg:2:23 {2}warning {2}.*program\/shell-syntax/);
  });
  it('shows a code frame with a caret under the span, and the hint', () => {
    expect(out).toContain('> 4 |     option foo');
    expect(out).toMatch(/\| {12}\^\^\^\n/);
    expect(out).toContain("hint: the only option of a program section is 'start-on-reload'");
  });
  it('ends with a summary line', () => {
    expect(out).toContain(`✖ ${result.errorCount + result.warningCount} problems (${result.errorCount} errors, ${result.warningCount} warnings)`);
  });
  it('has colours only when asked', () => {
    expect(out).not.toContain(ESC);
    expect(formatResult('stylish', result, { texts, colorLevel: 1 })).toContain(ESC);
  });
  it('prints nothing for a clean file', () => {
    expect(formatResult('stylish', lintText('program a\n    command sleep 1\n', 'x.cfg'), { texts, colorLevel: 0 })).toBe('');
  });
});

describe('json (ESLint shape)', () => {
  const parsed = JSON.parse(formatResult('json', result, { texts, colorLevel: 0, cwd: '/work' }));
  it('is an array of ESLint results', () => {
    expect(Array.isArray(parsed)).toBe(true);
    const [r] = parsed;
    expect(Object.keys(r).sort()).toEqual(['errorCount', 'fatalErrorCount', 'filePath', 'fixableErrorCount', 'fixableWarningCount', 'messages', 'suppressedMessages', 'usedDeprecatedRules', 'warningCount'].sort());
    expect(r.filePath).toBe('/work/conf/haproxy.cfg');
    expect(r.errorCount).toBe(result.errorCount);
    expect(r.warningCount).toBe(result.warningCount);
  });
  it('has messages with ruleId, severity 2/1 and 1-based positions', () => {
    const m = parsed[0].messages.find((x: { ruleId: string }) => x.ruleId === 'program/unknown-option');
    expect(m).toMatchObject({ ruleId: 'program/unknown-option', severity: 2, line: 4, column: 12, endLine: 4, endColumn: 15, nodeType: null });
    expect(m.message).toMatch(/^unknown option 'foo'\./);
    expect(parsed[0].messages.find((x: { ruleId: string }) => x.ruleId === 'program/shell-syntax').severity).toBe(1);
  });
});

describe('sarif 2.1.0', () => {
  const log = JSON.parse(formatResult('sarif', result, { texts, colorLevel: 0, cwd: '/work' }));

  it('has the required top-level properties', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(Array.isArray(log.runs)).toBe(true);
    expect(log.runs).toHaveLength(1);
  });
  it('describes every rule, with its docs page inside the log and no local link', () => {
    const driver = log.runs[0].tool.driver;
    expect(driver.name).toBe('hpm-lint');
    expect(driver.rules.map((r: { id: string }) => r.id)).toEqual(RULES.map((r) => r.meta.id));
    expect(JSON.stringify(log)).not.toContain('file://');
    for (const rule of driver.rules) {
      expect(rule.helpUri).toBeUndefined();
      const page = readFileSync(join(root, 'docs/rules', `${rule.id}.md`), 'utf8');
      expect(rule.help.markdown).toBe(page);
      expect(rule.help.text).toContain(`${rule.id}\n`);
      expect(rule.help.text).not.toContain('```');
      expect(typeof rule.shortDescription.text).toBe('string');
      expect(['error', 'warning', 'note', 'none']).toContain(rule.defaultConfiguration.level);
    }
  });
  it('has valid results: message.text, level, ruleIndex, 1-based region, artifact uri', () => {
    const run = log.runs[0];
    expect(run.results).toHaveLength(result.errorCount + result.warningCount);
    for (const r of run.results) {
      expect(typeof r.message.text).toBe('string');
      expect(['error', 'warning', 'note', 'none']).toContain(r.level);
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      const loc = r.locations[0].physicalLocation;
      expect(loc.artifactLocation).toEqual({ uri: 'conf/haproxy.cfg', uriBaseId: '%SRCROOT%' });
      expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
      expect(loc.region.startColumn).toBeGreaterThanOrEqual(1);
      expect(loc.region.endLine).toBeGreaterThanOrEqual(loc.region.startLine);
    }
  });
});

describe('sarif artifact locations', () => {
  const sarifOf = (fileName: string, cwd: string) => {
    const linted = lintText(text, fileName);
    return JSON.parse(formatResult('sarif', linted, { texts: new Map([[fileName, text]]), colorLevel: 0, cwd }));
  };
  const urisOf = (log: { runs: { results: { locations: { physicalLocation: { artifactLocation: unknown } }[] }[] }[] }) =>
    new Set(log.runs[0]!.results.map((r) => JSON.stringify(r.locations[0]!.physicalLocation.artifactLocation)));

  it('names a file outside the working directory relative to %SRCROOT%, with no machine path in the log', () => {
    const log = sarifOf('/etc/haproxy/haproxy.cfg', '/home/runner/work/site');
    expect(urisOf(log)).toEqual(new Set([JSON.stringify({ uri: '../../../../etc/haproxy/haproxy.cfg', uriBaseId: '%SRCROOT%' })]));
    const serialized = JSON.stringify(log);
    expect(serialized).not.toContain('file://');
    expect(serialized).not.toContain('/home/runner');
  });
  it('declares %SRCROOT% in the run without giving its location', () => {
    const run = sarifOf('/etc/haproxy/haproxy.cfg', '/srv').runs[0];
    expect(Object.keys(run.originalUriBaseIds)).toEqual(['%SRCROOT%']);
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBeUndefined();
    expect(typeof run.originalUriBaseIds['%SRCROOT%'].description.text).toBe('string');
  });
  it('percent-encodes each path segment of a relative uri', () => {
    expect(urisOf(sarifOf('/srv/my conf/ha#1.cfg', '/srv'))).toEqual(new Set([JSON.stringify({ uri: 'my%20conf/ha%231.cfg', uriBaseId: '%SRCROOT%' })]));
  });
});

describe('github', () => {
  it('prints one workflow command per finding', () => {
    const lines = formatResult('github', result, { texts, colorLevel: 0 }).trimEnd().split('\n');
    expect(lines).toHaveLength(result.errorCount + result.warningCount);
    expect(lines).toContain("::error file=conf/haproxy.cfg,line=4,col=12,endLine=4,endColumn=15,title=program/unknown-option::unknown option 'foo'. (hint: the only option of a program section is 'start-on-reload')");
    expect(lines.some((l) => l.startsWith('::warning file=conf/haproxy.cfg,line=2,col=23,'))).toBe(true);
  });
});
