/**
 * hpm-lint against the real haproxy (`haproxy -c -W -f`) 2.6 and 3.2 on program-section
 * configurations: both must agree on valid vs invalid, every line HAProxy blames must carry an
 * hpm-lint diagnostic, and a crash is claimed exactly where the binary crashes. Rows where HAProxy
 * is wrong say so (`differs`). Each version skips without its binary.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintPaths, lintSources } from '../../src/lint/index.js';
import { decodeConfigBytes, hostAccounts } from '../../src/model/index.js';
import { haproxyAvailable, haproxyVersion, skipReason } from '../helpers/env.js';
import { haproxyBinary } from '../helpers/haproxy-binaries.js';
import { DIFFERENTIAL_CASES, type DifferentialCase } from './differential-cases.js';

const skip = skipReason('the differential lint test on 2.6', haproxyAvailable && (haproxyVersion ?? '').startsWith('2.6'), 'needs haproxy 2.6 on PATH');
const found32 = haproxyBinary('3.2');
const haproxy32 = 'path' in found32 ? found32.path : undefined;
const skip32 = skipReason('the differential lint test on 3.2', haproxy32 !== undefined, 'missing' in found32 ? found32.missing : '');
const dir = skip && skip32 ? '' : mkdtempSync(join(tmpdir(), 'hpm-lint-diff-'));
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// One fixed environment for both: HAProxy expands "$VAR" from its own environment.
const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: '/root', MULTI: 'one two  three' };
const accounts = hostAccounts();

function runHaproxy(binary: string, path: string, masterWorker: boolean): { status: number; output: string } {
  const args = ['-c', ...(masterWorker ? ['-W'] : []), '-f', path];
  const run = spawnSync(binary, args, { env, encoding: 'utf8', timeout: 20_000 });
  const status = run.status ?? (run.signal === 'SIGSEGV' ? 139 : 128);
  return { status, output: `${run.stdout}${run.stderr}` };
}

/** Line numbers of HAProxy's ALERT lines, and whether each is an error (not "Continuing."). */
function blamedLines(output: string, file: string): { line: number; error: boolean; text: string }[] {
  const out: { line: number; error: boolean; text: string }[] = [];
  const pattern = new RegExp(`\\[ALERT\\].*parsing \\[${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:(\\d+)\\]`);
  for (const text of output.split('\n')) {
    const m = pattern.exec(text);
    if (m) out.push({ line: Number(m[1]), error: !text.includes('Continuing.'), text });
  }
  return out;
}

/**
 * 3.1/3.2 refuse `program` unless `expose-deprecated-directives` precedes it in global: the 3.2 run
 * puts that just before the first program line (or at the top), so each row keeps its meaning.
 */
function for32(config: string): string {
  const expose = 'global\n    expose-deprecated-directives\n';
  const at = config.search(/^program\b/m);
  return at < 0 ? expose + config : config.slice(0, at) + expose + config.slice(at);
}

const VERSIONS = [
  { version: '2.6', binary: 'haproxy', skip, config: (c: string) => c },
  { version: '3.2', binary: haproxy32 ?? '', skip: skip32, config: for32 },
];

for (const target of VERSIONS) {
  describe.skipIf(target.skip)(`hpm-lint --haproxy-version ${target.version} agrees with haproxy -c -W (${target.version})`, () => {
    it('covers at least 40 configurations', () => {
      expect(DIFFERENTIAL_CASES.length).toBeGreaterThanOrEqual(40);
    });

    it.each(DIFFERENTIAL_CASES.map((c, i) => [c.name, c, i] as const))('%s', (_name, row: DifferentialCase, index) => {
      const path = join(dir, `case${index}-${target.version}.cfg`);
      const bytes = Buffer.from(target.config(row.config), 'utf8');
      writeFileSync(path, bytes);
      const masterWorker = !row.withoutMasterWorker;
      const haproxy = runHaproxy(target.binary, path, masterWorker);
      const { text, encoding } = decodeConfigBytes(bytes);
      const lint = lintSources([{ file: path, text, encoding }], { haproxyVersion: target.version, masterWorker, hostChecks: false, env, accounts });
      const diagnostics = lint.results.flatMap((r) => r.diagnostics);
      const describeRun = () => `haproxy exit ${haproxy.status}:\n${haproxy.output}\nhpm-lint:\n${diagnostics.map((d) => `${d.span.start.line}: ${d.severity} ${d.ruleId} ${d.message}`).join('\n')}`;

      // Exit 2 is "valid but will not start (no listener)".
      const haproxyValid = haproxy.status === 0 || haproxy.status === 2;
      const lintValid = lint.errorCount === 0;
      switch (row.differs) {
        case 'crash-after-error':
          // HAProxy dies of a segfault instead of reporting; hpm-lint names the line it dies on.
          expect(haproxy.status, describeRun()).toBe(139);
          expect(
            diagnostics.some((d) => d.ruleId === 'program/crash-after-error'),
            describeRun(),
          ).toBe(true);
          break;
        case 'empty-argument':
          // HAProxy 2.6 silently drops the rest of argv and calls the file valid.
          expect(haproxyValid, describeRun()).toBe(true);
          expect(
            diagnostics.map((d) => d.ruleId),
            describeRun(),
          ).toContain('program/empty-argument');
          break;
        case 'duplicate-command':
          // HAProxy silently keeps the last command and calls the file valid.
          expect(haproxyValid, describeRun()).toBe(true);
          expect(
            diagnostics.map((d) => d.ruleId),
            describeRun(),
          ).toContain('program/duplicate-command');
          break;
        case 'user-without-group':
          // Both call the file valid; only hpm-lint says the program keeps root's gid and groups.
          expect([haproxyValid, lintValid], describeRun()).toEqual([true, true]);
          expect(
            diagnostics.map((d) => d.ruleId),
            describeRun(),
          ).toContain('program/user-without-group');
          break;
        default:
          expect(lintValid, describeRun()).toBe(haproxyValid);
      }
      // A crash is claimed exactly where the binary crashes.
      const claimsCrash = diagnostics.some((d) => d.ruleId === 'program/crash-after-error');
      expect(claimsCrash, `crash claim vs exit ${haproxy.status}\n${describeRun()}`).toBe(haproxy.status === 139);
      const blamed = blamedLines(haproxy.output, path);
      for (const { line, error, text } of blamed) {
        const onLine = diagnostics.filter((d) => d.span.start.line === line && (!error || d.severity === 'error'));
        expect(onLine.length, `nothing from hpm-lint on line ${line}: ${text}\n${describeRun()}`).toBeGreaterThan(0);
      }
      // A syntax rule speaks HAProxy's own words (it may add an explanation after them): on every
      // line where one reports, one of HAProxy's messages for that line is in one of its messages.
      for (const line of new Set(blamed.map((b) => b.line))) {
        const said = blamed.filter((b) => b.line === line).map((b) => b.text.replace(/^.*?parsing \[[^\]]*\] ?: ?/, '').replace(/:$/, ''));
        const syntaxOnLine = diagnostics.filter((d) => d.span.start.line === line && d.ruleId.startsWith('syntax/'));
        if (syntaxOnLine.length === 0 || said.every((m) => m.startsWith('too many fatal errors'))) continue;
        expect(syntaxOnLine.some((d) => said.some((m) => d.message.includes(m))), `HAProxy said ${JSON.stringify(said)} on line ${line}\n${describeRun()}`).toBe(true);
      }
    });

    it('O33 the same program name in two -f files', () => {
      const a = join(dir, `o33-a-${target.version}.cfg`);
      const b = join(dir, `o33-b-${target.version}.cfg`);
      writeFileSync(a, target.config('program p\n    command sleep 100\n'));
      writeFileSync(b, 'program p\n    command sleep 200\n');
      const run = spawnSync(target.binary, ['-c', '-W', '-f', a, '-f', b], { env, encoding: 'utf8', timeout: 20_000 });
      expect(run.status).toBe(1);
      expect(blamedLines(`${run.stdout}${run.stderr}`, b).map((x) => x.line)).toEqual([1]);
      const lint = lintPaths([a, b], { haproxyVersion: target.version, masterWorker: true, hostChecks: false, env, accounts });
      expect(lint.results.map((r) => r.diagnostics.map((d) => [d.ruleId, d.span.start.line]))).toEqual([[], [['program/duplicate-name', 1]]]);
    });
  });
}

// The syntax rules' fixtures say where and in which words hpm-lint reports (fires.expected): the
// same line and HAProxy's own words as the binary's first complaint.
describe.skipIf(skip)('syntax fixtures: fires.expected matches haproxy -c -W (2.6)', () => {
  const root = join(__dirname, '../..');
  const ids = readdirSync(join(root, 'fixtures/lint/syntax')).filter((id) => existsSync(join(root, 'fixtures/lint/syntax', id, 'fires.expected')));
  it.each(ids)('syntax/%s', (id) => {
    const dir = join(root, 'fixtures/lint/syntax', id);
    const [first] = readFileSync(join(dir, 'fires.expected'), 'utf8').trimEnd().split('\n');
    const [, line, message] = /^(\d+):\d+ (.*)$/.exec(first!)!;
    const path = join(dir, 'fires.cfg');
    const run = runHaproxy('haproxy', path, true);
    const said = blamedLines(run.output, path)[0];
    expect(said?.line, run.output).toBe(Number(line));
    expect(message).toContain(said!.text.replace(/^.*?parsing \[[^\]]*\] ?: ?/, '').replace(/:$/, ''));
  });
});
