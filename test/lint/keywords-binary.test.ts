/**
 * The keyword catalogue against the real binaries (2.6, 3.2, 3.3, 3.4): every keyword it lists
 * for version V, alone on a line in its section, is not an "unknown keyword" for HAProxy V
 * (unless it needs a build option that binary lacks: those are printed, by name); 300 near-miss
 * typos are unknown to both HAProxy V and hpm-lint. One `haproxy -c` per version and probe: the
 * keywords are spread over files of 40 lines (HAProxy stops a file after 50 fatal errors).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintSources } from '../../src/lint/index.js';
import { compareVersions } from '../../src/syntax/index.js';
import { ALL_SECTIONS, keywordInfo, keywordsOf, sectionInfo, sectionsOf } from '../../src/model/keywords/index.js';
import { xorshiftBytes } from '../helpers/random-bytes.js';
import { haproxyBinary } from '../helpers/haproxy-binaries.js';
import { skipReason } from '../helpers/env.js';

const VERSIONS = ['2.6', '3.2', '3.3', '3.4'];
const UNNAMED = new Set(['global', 'traces', 'namespace_list']);
/** The build feature (`haproxy -vv` "Feature list") a catalogue `requires` stands for. */
const FEATURES: Record<string, string> = {
  openssl: 'OPENSSL',
  lua: 'LUA',
  '51degrees': '51DEGREES',
  deviceatlas: 'DEVICEATLAS',
  wurfl: 'WURFL',
  opentracing: 'OT',
  promex: 'PROMEX',
};

interface Probe {
  files: { path: string; text: string; section: string; keyword: string }[];
  /** file:line -> the keyword on that line */
  at: Map<string, string>;
}

const scratch = mkdtempSync(join(tmpdir(), 'hpm-keywords-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const SENTINEL = 'hpm-probe-sentinel';
/** The sections HAProxy 3.x reads in its first pass. */
const EARLY = new Set(['global', 'program']);

/**
 * One file per (section, keyword), then a sentinel keyword that HAProxy always calls unknown: a
 * missing sentinel shows where HAProxy stopped reading (a keyword with missing arguments may
 * abort the whole read), so no keyword passes for not having been read. HAProxy 3.x first reads
 * only global and program sections and stops there on an error, so those keywords get a global
 * sentinel and are probed apart from the others, which get a userlist sentinel.
 */
function writeProbe(name: string, version: string, entries: { section: string; keyword: string }[]): Probe {
  const probe: Probe = { files: [], at: new Map() };
  entries.forEach(({ section, keyword }, n) => {
    const path = join(scratch, `${name}-${n}.cfg`);
    // HAProxy 3.1/3.2 stop at a program section unless deprecated directives are allowed first.
    const lines = section === 'program' && compareVersions(version, '3.1') >= 0 ? ['global', '    expose-deprecated-directives'] : [];
    lines.push(UNNAMED.has(section) ? section : `${section} probe${n}`, `    ${keyword}`);
    probe.at.set(`${path}:${lines.length}`, keyword);
    lines.push(EARLY.has(section) ? 'global' : `userlist sentinel${n}`, `    ${SENTINEL}`);
    const text = `${lines.join('\n')}\n`;
    writeFileSync(path, text);
    probe.files.push({ path, text, section, keyword });
  });
  return probe;
}

/**
 * The keywords HAProxy called unknown ("unknown keyword", or a ring's "unknown statement").
 * Runs `haproxy -c` on all files, and again without the files that stopped the read: the file
 * whose sentinel is missing (its keyword aborted the read), or, when HAProxy 3.x stopped after
 * its first pass (which reports global errors but not unknown global keywords), the files it
 * blamed there. Keywords that stop the read are known ones (an unknown keyword never does).
 */
function runHaproxy(binary: string, probe: Probe): { unknown: Set<string>; stoppedAt: string[]; runs: number } {
  const unknown = new Set<string>();
  const stoppedAt: string[] = [];
  let runs = 0;
  const early = (f: { section: string }) => EARLY.has(f.section);
  // `quiet` silences every later message, the sentinels included: it is read on its own.
  const quiet = (f: { section: string; keyword: string }) => f.section === 'global' && f.keyword === 'quiet';
  // A program section's errors end HAProxy 3.x's first pass without naming the line: one group each.
  const program = (f: { section: string }) => f.section === 'program';
  const groups = [
    probe.files.filter(quiet),
    ...probe.files.filter(program).map((f) => [f]),
    probe.files.filter((f) => early(f) && !quiet(f) && !program(f)),
    probe.files.filter((f) => !early(f)),
  ];
  for (let pending of groups) {
    while (pending.length > 0) {
      runs++;
      const run = spawnSync(binary, ['-c', ...pending.flatMap((f) => ['-f', f.path])], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      const sentinels = new Set<string>();
      const blamed = new Set<string>();
      for (const line of `${run.stdout}${run.stderr}`.split('\n')) {
        const m = /parsing \[([^\]]+):(\d+)\]\s*:?\s*(.*)$/.exec(line);
        if (!m) continue;
        if (m[3]!.includes(`'${SENTINEL}'`)) sentinels.add(m[1]!);
        if (m[2] === '2') blamed.add(m[1]!);
        const keyword = probe.at.get(`${m[1]}:${m[2]}`);
        if (keyword !== undefined && (m[3]!.includes(`unknown keyword '${keyword}'`) || m[3]!.includes(`unknown statement '${keyword}'`))) unknown.add(`${m[1]}:${m[2]}`);
      }
      const stop = pending.findIndex((f) => !sentinels.has(f.path));
      if (stop < 0) break;
      const firstPassOnly = sentinels.size === 0 && blamed.size > 0;
      const stoppers = firstPassOnly ? pending.filter((f) => blamed.has(f.path)) : [pending[stop]!];
      for (const f of stoppers) stoppedAt.push(`${f.keyword}${run.signal ? ` (${run.signal})` : ''}`);
      pending = firstPassOnly ? pending.filter((f) => !blamed.has(f.path)) : pending.slice(stop + 1);
    }
  }
  return { unknown, stoppedAt, runs };
}

/** The build options this binary was built without. */
function lacking(binary: string): { has(feature: string): boolean } {
  const out = execFileSync(binary, ['-vv'], { encoding: 'utf8' });
  const features = /Feature list : (.*)/.exec(out)?.[1] ?? '';
  const built = new Set([...features.matchAll(/\+([A-Z0-9_]+)/g)].map((m) => m[1]!));
  // A build option -vv does not list as built (DEBUG_COUNTERS is not in the list at all) is lacking.
  return { has: (feature: string) => !built.has(feature) };
}

/** Near-miss typos of real keywords that no section of any version knows. */
function typos(version: string, count: number, seed: number): { section: string; keyword: string }[] {
  const everyKeyword = new Set<string>([...ALL_SECTIONS, 'no', 'default']);
  for (const section of ALL_SECTIONS) for (const k of Object.keys(sectionInfo(section)!.keywords)) everyKeyword.add(k);
  const sections = [...sectionsOf(version)].filter((s) => s !== 'program' && !sectionInfo(s)!.lenient && keywordsOf(s, version).length > 0);
  const bytes = xorshiftBytes(count * 64, seed);
  let b = 0;
  const next = (n: number) => (bytes[b++ % bytes.length]! * 256 + bytes[b++ % bytes.length]!) % n;
  const letters = 'abcdefghijklmnopqrstuvwxyz-';
  const out: { section: string; keyword: string }[] = [];
  const seen = new Set<string>();
  while (out.length < count) {
    const section = sections[next(sections.length)]!;
    const keywords = keywordsOf(section, version).filter((k) => k.length >= 4);
    if (keywords.length === 0) continue;
    const word = keywords[next(keywords.length)]!;
    const i = next(word.length);
    const edits = [
      () => word.slice(0, i) + word.slice(i + 1),
      () => word.slice(0, i) + letters[next(letters.length)] + word.slice(i),
      () => word.slice(0, i) + letters[next(letters.length)] + word.slice(i + 1),
      () => (i + 1 < word.length ? word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2) : word + 's'),
    ];
    const typo = edits[next(edits.length)]!();
    if (!/^[a-z0-9]/.test(typo) || everyKeyword.has(typo) || seen.has(`${section} ${typo}`)) continue;
    seen.add(`${section} ${typo}`);
    out.push({ section, keyword: typo });
  }
  return out;
}

function lintProbe(probe: Probe, version: string) {
  const result = lintSources(
    probe.files.map((f) => ({
      file: f.path,
      text: f.text,
      encoding: 'utf8' as const,
    })),
    {
      haproxyVersion: version,
      hostChecks: false,
      masterWorker: true,
      view: 'haproxy',
      env: {},
    },
  );
  return result.results.flatMap((r) => r.diagnostics).filter((d) => d.ruleId.startsWith('keyword/') && d.severity === 'error' && !d.message.includes(SENTINEL));
}

for (const version of VERSIONS) {
  const found = haproxyBinary(version);
  const skip = skipReason(`the keyword differential test for HAProxy ${version}`, 'path' in found, 'missing' in found ? found.missing : '');
  describe.skipIf(skip)(`HAProxy ${version} and the keyword catalogue`, () => {
    const binary = 'path' in found ? found.path : '';

    it('knows every keyword the catalogue lists for its version, except those of build options it lacks', () => {
      const entries = [...sectionsOf(version)].flatMap((section) => keywordsOf(section, version).map((keyword) => ({ section, keyword })));
      const probe = writeProbe(`known-${version}`, version, entries);
      const { unknown, stoppedAt, runs } = runHaproxy(binary, probe);
      expect(stoppedAt.filter((k) => k.includes('(SIG')), 'HAProxy crashed').toEqual([]);
      // A keyword that stops the read is one HAProxy knows (an unknown one never does).
      console.log(`HAProxy ${version}: ${runs} runs; the read stopped after ${stoppedAt.length} keywords: ${stoppedAt.join(', ')}`);
      const missing = lacking(binary);
      const explained: string[] = [];
      const unexplained: string[] = [];
      for (const place of unknown) {
        const keyword = probe.at.get(place)!;
        const section = probe.files.find((f) => place.startsWith(`${f.path}:`))!.section;
        const requires = keywordInfo(section, keyword)?.requires;
        if (requires && missing.has(FEATURES[requires] ?? requires.toUpperCase())) explained.push(`${section} ${keyword} (${requires})`);
        else unexplained.push(`${section} ${keyword}`);
      }
      console.log(`HAProxy ${version}: ${entries.length} keywords probed; ${explained.length} need a build option this binary lacks: ${explained.join(', ') || 'none'}`);
      expect(unexplained).toEqual([]);
      // hpm-lint agrees with its own catalogue on the same files.
      expect(lintProbe(probe, version).map((d) => `${d.span.start.line} ${d.ruleId} ${d.message}`)).toEqual([]);
    });

    it('calls 300 near-miss typos unknown, as hpm-lint does', () => {
      const entries = typos(version, 300, 20261201 + Number(version.replace('.', '')));
      const probe = writeProbe(`typo-${version}`, version, entries);
      // A section that aborts on an unknown keyword (log-forward) stops the read after saying so.
      const { unknown } = runHaproxy(binary, probe);
      const notUnknownToHaproxy = [...probe.at].filter(([place]) => !unknown.has(place)).map(([, k]) => k);
      expect(notUnknownToHaproxy).toEqual([]);
      const flagged = new Set(
        lintProbe(probe, version)
          .filter((d) => d.ruleId === 'keyword/unknown')
          .map((d) => `${d.file}:${d.span.start.line}`),
      );
      expect([...probe.at].filter(([place]) => !flagged.has(place)).map(([, k]) => k)).toEqual([]);
    });
  });
}
