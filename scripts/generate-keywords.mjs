#!/usr/bin/env node
/**
 * Generates src/model/keywords/catalogue.json: HAProxy's configuration keywords per section and
 * per version, from three kinds of input (each optional except the manuals):
 *
 *   --docs DIR        configuration-X.Y.txt[.gz] for every version (HAProxy's doc/configuration.txt)
 *   --sources FILE    haproxy-X.Y.Z.tar.gz or an extracted tree (repeatable): keyword tables
 *                     (`{ CFG_GLOBAL, "name", ... }`), section parsers' `strcmp(args[0], "...")`
 *                     chains, REGISTER_CONFIG_SECTION and the no/default list
 *   --binary X.Y=PATH a haproxy binary (repeatable): `haproxy -dKcfg` and its no/default message
 *   --overrides FILE  scripts/keyword-overrides.json: facts no input states (replacements, ...)
 *   --out FILE        default src/model/keywords/catalogue.json
 *
 * The catalogue of a version is the union of what its manual, its sources and its binary know:
 * a minimal build lacks the OpenSSL/Lua keywords, which the manual fills in.
 * Usage (next version = add its manual, tarball and binary, run again):
 *   node scripts/generate-keywords.mjs --docs <dir> --sources haproxy-3.4.0.tar.gz --binary 3.4=<path> ...
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const PROXIES = ['defaults', 'frontend', 'listen', 'backend'];

function parseArguments(argv) {
  const options = { docs: undefined, sources: [], binaries: [], overrides: join(here, 'keyword-overrides.json'), out: join(here, '..', 'src', 'model', 'keywords', 'catalogue.json') };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    switch (argv[i]) {
      case '--docs': options.docs = value; i++; break;
      case '--sources': options.sources.push(value); i++; break;
      case '--binary': { const [v, p] = value.split('='); options.binaries.push({ version: v, path: p }); i++; break; }
      case '--overrides': options.overrides = value; i++; break;
      case '--out': options.out = value; i++; break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (!options.docs) throw new Error('--docs DIR is required');
  return options;
}

const versionKey = (v) => v.split('.').map(Number).reduce((a, n) => a * 1000 + n, 0);
const byVersion = (a, b) => versionKey(a) - versionKey(b);

/** What one input says about one version: section -> keyword -> facts. */
class VersionFacts {
  constructor() {
    this.sections = new Map();
    this.modifiable = new Set();
  }
  section(name) {
    if (!this.sections.has(name)) this.sections.set(name, new Map());
    return this.sections.get(name);
  }
  add(section, keyword, facts = {}) {
    const s = this.section(section);
    const old = s.get(keyword) ?? {};
    s.set(keyword, { ...old, ...Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined)) });
  }
}

// ---------------------------------------------------------------- the manual

/** Chapter titles that hold one section's keywords (the first entry is the section itself). */
const CHAPTERS = [
  [/^(Process management and security|Performance tuning|Debugging|HTTPClient tuning|SSL)\b/i, 'global'],
  [/^Userlists\b/i, 'userlist'],
  [/^Peers( declaration)?\b/i, 'peers'],
  [/^Mailers\b/i, 'mailers'],
  [/^Programs\b/i, 'program'],
  [/^HTTP-errors\b/i, 'http-errors'],
  [/^Rings\b/i, 'ring'],
  [/^Log forwarding\b/i, 'log-forward'],
  [/^Certificate Storage\b/i, 'crt-store'],
  [/^ACME\b/, 'acme'],
  [/^Traces$/i, 'traces'],
  [/^The resolvers section\b/i, 'resolvers'],
  [/^Cache section\b/i, 'cache'],
  [/^Fcgi-app section\b/i, 'fcgi-app'],
  [/^Log profiles\b/i, 'log-profile'],
];

/** Splits the manual into numbered chapters (`3.5. Peers` underlined by dashes). */
function chapters(lines) {
  const result = [];
  let current;
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\d+(?:\.\d+)*)\.\s+(\S.*)$/.exec(lines[i]);
    if (m && /^-{3,}/.test(lines[i + 1] ?? '')) {
      current = { number: m[1], title: m[2].trim(), lines: [] };
      result.push(current);
      i++;
      continue;
    }
    current?.lines.push(lines[i]);
  }
  return result;
}

const KEYWORD = /^([a-z0-9][a-z0-9._-]*)(?=\s|$)/;

/** Keyword entries of a chapter: a line at column 0 after a blank line, its text indented below. */
function entries(lines) {
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    if (i > 0 && lines[i - 1].trim() !== '') continue;
    // an entry may have several heading lines (`option x` / `no option x`)
    let j = i;
    while (j < lines.length && KEYWORD.test(lines[j])) j++;
    if (j === i || !/^\s{2,}\S/.test(lines[j] ?? '')) continue;
    const heads = lines.slice(i, j);
    let end = j;
    while (end < lines.length && (lines[end].trim() === '' || /^\s/.test(lines[end]))) end++;
    found.push({ heads, body: lines.slice(j, end).join('\n') });
    i = end - 1;
  }
  return found;
}

function replacementIn(text) {
  const m =
    /[Uu]se\s+"([^"]+)"\s+instead/.exec(text) ??
    /replaced (?:by|with)\s+(?:the\s+)?"([^"]+)"/.exec(text) ??
    /in favor of\s+(?:the\s+)?"([^"]+)"/.exec(text) ??
    /superseded by\s+(?:the\s+)?"([^"]+)"/.exec(text);
  return m?.[1];
}

function readManual(text) {
  const facts = new VersionFacts();
  const lines = text.split('\n');
  const all = chapters(lines);

  // global: the list at the top of the "Global" chapter
  const globalChapter = all.find((c) => /^Global (parameters|section)$/i.test(c.title));
  for (const line of globalChapter?.lines ?? []) {
    const m = /^\s+- ([a-z0-9][a-z0-9._-]*)(.*)$/.exec(line);
    if (m) facts.add('global', m[1], { deprecated: /\(deprecated\)/.test(m[2]) || undefined });
  }

  for (const chapter of all) {
    const section = CHAPTERS.find(([re]) => re.test(chapter.title))?.[1];
    if (section === undefined) continue;
    if (/\(deprecated\)/.test(chapter.title)) facts.add('$sections', section, { deprecated: true });
    else facts.add('$sections', section, {});
    for (const entry of entries(chapter.lines)) {
      const keyword = KEYWORD.exec(entry.heads[0])[1];
      if (keyword === section) continue;
      const deprecated = entry.heads.some((h) => /\(deprecated\)/.test(h)) || undefined;
      const takesNo = entry.heads.some((h) => /^no\s/.test(h)) || undefined;
      if (keyword === 'no') continue;
      facts.add(section, keyword, { deprecated, ...(deprecated ? { replacement: replacementIn(entry.body) } : {}), modifiable: takesNo });
    }
  }

  // proxies: the keyword matrix, then each reference entry's "May be used in sections"
  for (const s of PROXIES) facts.add('$sections', s, {});
  const matrix = all.find((c) => /^Proxy keywords matrix$/i.test(c.title));
  const rows = new Map();
  for (const line of matrix?.lines ?? []) {
    const m = /^([a-z0-9][a-z0-9._-]*)(.*?)\s+([X-])(?:\s*\(!\))?\s+([X-])\s+([X-])\s+([X-])\s*$/.exec(line);
    if (!m) continue;
    const [, keyword, rest, ...marks] = m;
    const row = { deprecated: /\(deprecated\)/.test(rest), modifiable: /\(\*\)/.test(rest), in: marks.map((x) => x === 'X') };
    if (!rows.has(keyword)) rows.set(keyword, []);
    rows.get(keyword).push(row);
  }
  for (const [keyword, kwRows] of rows) {
    PROXIES.forEach((section, i) => {
      const inSection = kwRows.filter((r) => r.in[i]);
      if (inSection.length === 0) return;
      facts.add(section, keyword, { deprecated: inSection.every((r) => r.deprecated) || undefined, modifiable: inSection.some((r) => r.modifiable) || undefined });
    });
  }
  const reference = all.find((c) => /^Alphabetically sorted keywords reference$/i.test(c.title));
  for (const entry of entries(reference?.lines ?? [])) {
    const keyword = KEYWORD.exec(entry.heads[0])[1];
    if (keyword === 'no') continue;
    const m = /May be used in sections\s*:\s*defaults\s*\|\s*frontend\s*\|\s*listen\s*\|\s*backend\s*\n\s*(\S+)\s*\|\s*(\S+)\s*\|\s*(\S+)\s*\|\s*(\S+)/.exec(entry.body);
    if (!m) continue;
    const deprecated = entry.heads.every((h) => /\(deprecated\)/.test(h)) || undefined;
    PROXIES.forEach((section, i) => {
      if (!/^yes/.test(m[i + 1])) return;
      const known = facts.section(section).get(keyword);
      facts.add(section, keyword, { deprecated: known ? known.deprecated : deprecated, ...(deprecated ? { replacement: replacementIn(entry.body) } : {}) });
    });
  }
  return facts;
}

// ---------------------------------------------------------------- the sources

const CFG_CLASSES = { GLOBAL: ['global'], LISTEN: PROXIES, USERLIST: ['userlist'], PEERS: ['peers'], CRTSTORE: ['crt-store'], TRACES: ['traces'], ACME: ['acme'] };

/** The build option a source file needs (a minimal build lacks these). */
function requirementOf(path) {
  if (/(^|\/)(quic_|xprt_quic|cfgparse-quic|mux_quic|h3)/.test(path)) return 'quic';
  if (/(^|\/)(ssl_|acme|jwt|cfgparse-ssl)/.test(path)) return 'openssl';
  if (/(^|\/)hlua/.test(path)) return 'lua';
  if (/addons\/51degrees/.test(path)) return '51degrees';
  if (/addons\/deviceatlas/.test(path)) return 'deviceatlas';
  if (/addons\/wurfl/.test(path)) return 'wurfl';
  if (/addons\/ot\//.test(path)) return 'opentracing';
  if (/addons\/promex/.test(path)) return 'promex';
  return undefined;
}

/** For keywords only the manual names: the build option their name says they need. */
function requirementByName(keyword) {
  if (/^51degrees-/.test(keyword)) return '51degrees';
  if (/^deviceatlas-/.test(keyword)) return 'deviceatlas';
  if (/^wurfl-/.test(keyword)) return 'wurfl';
  if (/(^|\.)quic|-quic$/.test(keyword)) return 'quic';
  if (/^tune\.zlib\.|^maxzlibmem$/.test(keyword)) return 'zlib';
  if (keyword === 'ssl-engine') return 'engine';
  if (keyword === 'profiling.memory') return 'memory_profiling';
  if (/(^|\.)ssl[.-]|^ocsp-update\.|^jwt\./.test(keyword)) return 'openssl';
  if (/(^|\.)lua[.-]/.test(keyword)) return 'lua';
  return undefined;
}

/** C text without `#if 0` ... `#endif` blocks (code HAProxy does not build). */
function withoutDisabledCode(text) {
  return text.replace(/^#if 0\b[\s\S]*?^#endif.*$/gm, '');
}

function listCFiles(root) {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.c')) out.push(p);
    }
  };
  for (const sub of ['src', 'addons']) {
    try { walk(join(root, sub)); } catch { /* absent */ }
  }
  return out;
}

/** The body of a C function `name(` defined at column 0 (its return type on the line before or same line). */
function functionBody(text, name) {
  const re = new RegExp(`^(?:[a-z_ ]+\\s)?\\**${name}\\s*\\([^;{]*\\)\\s*\\{`, 'm');
  const m = re.exec(text);
  if (!m) return undefined;
  const end = text.indexOf('\n}\n', m.index);
  return text.slice(m.index, end < 0 ? undefined : end);
}

function readSources(source) {
  let root = source;
  let scratch;
  if (/\.tar\.gz$|\.tgz$/.test(source)) {
    scratch = mkdtempSync(join(tmpdir(), 'haproxy-src-'));
    execFileSync('tar', ['xzf', resolve(source), '-C', scratch, '--wildcards', '*/src/*.c', '*/addons/*', '*/VERSION']);
    root = join(scratch, readdirSync(scratch)[0]);
  }
  try {
    const version = readFileSync(join(root, 'VERSION'), 'utf8').trim().split('.').slice(0, 2).join('.');
    const facts = new VersionFacts();
    const files = listCFiles(root).map((p) => ({ path: p.slice(root.length + 1), text: withoutDisabledCode(readFileSync(p, 'utf8')) }));
    const parsers = [];
    for (const { path, text } of files) {
      const requires = requirementOf(path);
      for (const m of text.matchAll(/\{\s*CFG_([A-Z]+)\s*,\s*"([^"]+)"/g)) {
        for (const section of CFG_CLASSES[m[1]] ?? []) facts.add(section, m[2], { requires });
      }
      for (const m of text.matchAll(/REGISTER_CONFIG_SECTION\(\s*"([^"]+)"\s*,\s*([a-z_0-9]+)/g)) {
        facts.add('$sections', m[1], {});
        parsers.push({ section: m[1], parser: m[2] });
      }
      const negation = /negation\/default currently "\s*((?:"[^"]*"\s*)+)/.exec(text);
      if (negation) {
        const sentence = negation[1].replace(/"\s*"/g, '').replace(/"|\\n|\.$/g, '').replace(/\.\s*$/, '');
        for (const m of sentence.replace(/.*supported only for /, '').matchAll(/[a-z0-9._-]+/g)) {
          if (!['and', 'options'].includes(m[0])) facts.modifiable.add(m[0]);
        }
        facts.modifiable.add('option');
      }
    }
    // Section parsers that compare args[0] by hand (peers, program, resolvers, ...)
    const global = new Set(['global', 'listen', 'frontend', 'backend', 'defaults']);
    for (const { section, parser } of parsers) {
      if (global.has(section)) continue;
      for (const { path, text } of files) {
        const body = functionBody(text, parser);
        if (!body) continue;
        const requires = requirementOf(path);
        for (const m of body.matchAll(/strcmp\(args\[0\],\s*"([^"]+)"\)/g)) {
          // `if`/`unless` are conditions read after a rule's arguments, not keywords.
          if (![section, 'no', 'default', 'if', 'unless'].includes(m[1])) facts.add(section, m[1], { requires });
        }
      }
    }
    return { version, facts };
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- the binaries

function readBinary({ version, path }) {
  const facts = new VersionFacts();
  const scratch = mkdtempSync(join(tmpdir(), 'haproxy-dk-'));
  try {
    const cfg = join(scratch, 'probe.cfg');
    writeFileSync(cfg, 'global\n  no probe-keyword\n');
    let output = '';
    try {
      output = execFileSync(path, ['-dKcfg', '-c', '-f', cfg], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      output = `${e.stdout ?? ''}${e.stderr ?? ''}`;
    }
    let sections = [];
    for (const line of output.split('\n')) {
      if (/^[a-z]/.test(line)) sections = line.trim() === 'listen' ? PROXIES : CFG_CLASSES[line.trim().toUpperCase().replace('-', '')] ?? [line.trim()];
      else if (/^\t\S/.test(line)) for (const s of sections) if (s !== 'crt-list') facts.add(s, line.trim().split(/\s/)[0], {});
      const negation = /supported only for (.*)\.$/.exec(line);
      if (negation) {
        for (const m of negation[1].matchAll(/[a-z0-9._-]+/g)) if (!['and', 'options'].includes(m[0])) facts.modifiable.add(m[0]);
        facts.modifiable.add('option');
      }
    }
    facts.sections.delete('crt-list');
    return { version, facts };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Keywords a binary still parses only to refuse them ("not supported anymore since HAProxy 2.1"):
 * the manual keeps listing some as deprecated long after. Each candidate is checked alone.
 * Returns section + ' ' + keyword -> the version that removed it.
 */
function probeRemovals({ version, path }, candidates) {
  const removed = new Map();
  const scratch = mkdtempSync(join(tmpdir(), 'haproxy-removed-'));
  try {
    for (const { section, keyword } of candidates) {
      const cfg = join(scratch, 'probe.cfg');
      writeFileSync(cfg, `${section === 'global' ? 'global' : `${section} probe`}\n    ${keyword}\n`);
      let output = '';
      try {
        output = execFileSync(path, ['-c', '-f', cfg], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (e) {
        output = `${e.stdout ?? ''}${e.stderr ?? ''}`;
      }
      const line = output.split('\n').find((l) => /:2\]/.test(l) && /not supported any ?more|no longer supported/i.test(l));
      if (!line) continue;
      const since = /since (?:HAProxy )?(?:version )?(\d+\.\d+)/i.exec(line)?.[1] ?? version;
      removed.set(`${section} ${keyword}`, since);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return removed;
}

/**
 * Proxy keywords in a proxy section that lacks the capability: HAProxy mostly warns ("'balance'
 * ignored because frontend 'x' has no backend capability") and refuses a few ("'server' not
 * allowed because ..."). Returns section -> the keywords it refuses.
 */
function probeNotAllowed({ path }, candidates) {
  const refused = new Map();
  const scratch = mkdtempSync(join(tmpdir(), 'haproxy-capability-'));
  try {
    for (const { section, keyword } of candidates) {
      const cfg = join(scratch, 'probe.cfg');
      writeFileSync(cfg, `${section} probe\n    ${keyword}\n`);
      let output = '';
      try {
        output = execFileSync(path, ['-c', '-f', cfg], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (e) {
        output = `${e.stdout ?? ''}${e.stderr ?? ''}`;
      }
      if (!output.split('\n').some((l) => /:2\]/.test(l) && /ALERT/.test(l) && /not (allowed|available|supported) in|not allowed because|only available in/.test(l))) continue;
      if (!refused.has(section)) refused.set(section, new Set());
      refused.get(section).add(keyword);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return refused;
}

// ---------------------------------------------------------------- merge

function main() {
  const options = parseArguments(process.argv.slice(2));
  const manuals = readdirSync(options.docs)
    .map((name) => /^configuration-(\d+\.\d+)\.txt(\.gz)?$/.exec(name))
    .filter(Boolean)
    .map((m) => ({ version: m[1], path: join(options.docs, m[0]) }))
    .sort((a, b) => byVersion(a.version, b.version));
  const versions = manuals.map((m) => m.version);
  // The accessor compares versions as strings: one digit each (3.10 would need it changed).
  for (const v of versions) if (!/^\d\.\d$/.test(v)) throw new Error(`version ${v}: src/model/keywords/index.ts compares X.Y as strings`);
  const perVersion = new Map();
  for (const { version, path } of manuals) {
    const raw = readFileSync(path);
    perVersion.set(version, [{ input: 'manual', facts: readManual((path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('latin1')) }]);
  }
  for (const s of options.sources) {
    const { version, facts } = readSources(s);
    perVersion.get(version)?.push({ input: 'sources', facts });
  }
  for (const b of options.binaries) perVersion.get(b.version)?.push({ input: 'binary', facts: readBinary(b).facts });
  const overrides = JSON.parse(readFileSync(options.overrides, 'utf8'));

  // modifiable keywords: from sources or binaries; versions without either borrow the nearest one's
  const modifiableOf = new Map();
  for (const v of versions) {
    const own = perVersion.get(v).filter((x) => x.input !== 'manual' && x.facts.modifiable.size > 0);
    if (own.length) modifiableOf.set(v, new Set(own.flatMap((x) => [...x.facts.modifiable])));
  }
  const known = [...modifiableOf.keys()];
  for (const v of versions) {
    if (modifiableOf.has(v)) continue;
    const nearest = known.reduce((best, k) => (best === undefined || Math.abs(versionKey(k) - versionKey(v)) < Math.abs(versionKey(best) - versionKey(v)) ? k : best), undefined);
    modifiableOf.set(v, new Set([...(modifiableOf.get(nearest) ?? []), ...(overrides.modifiable ?? [])]));
  }

  // section -> keyword -> version -> merged facts
  const table = new Map();
  const sectionVersions = new Map();
  for (const v of versions) {
    for (const { facts } of perVersion.get(v)) {
      for (const [section, keywords] of facts.sections) {
        if (section === '$sections') {
          for (const [name, f] of keywords) {
            if (!sectionVersions.has(name)) sectionVersions.set(name, new Map());
            sectionVersions.get(name).set(v, { ...(sectionVersions.get(name).get(v) ?? {}), ...f });
          }
          continue;
        }
        if (!table.has(section)) table.set(section, new Map());
        for (const [keyword, f] of keywords) {
          if (!table.get(section).has(keyword)) table.get(section).set(keyword, new Map());
          const at = table.get(section).get(keyword);
          const old = at.get(v) ?? {};
          at.set(v, { ...old, ...f, deprecated: old.deprecated || f.deprecated, requires: old.requires ?? f.requires, replacement: old.replacement ?? f.replacement });
        }
      }
    }
  }
  for (const [name, facts] of Object.entries(overrides.sections ?? {})) {
    if (!sectionVersions.has(name)) sectionVersions.set(name, new Map());
    for (const v of versions) if (byVersion(v, facts.since) >= 0 && (!facts.removed || byVersion(v, facts.removed) < 0)) sectionVersions.get(name).set(v, sectionVersions.get(name).get(v) ?? {});
    for (const keyword of facts.keywords ?? []) {
      if (!table.has(name)) table.set(name, new Map());
      table.get(name).set(keyword, new Map([...sectionVersions.get(name).keys()].map((v) => [v, {}])));
    }
  }

  // Deprecated keywords the binaries refuse outright: removed since the version they name.
  const refused = new Map();
  for (const binary of options.binaries) {
    const candidates = [];
    for (const [section, keywords] of table) {
      for (const [keyword, at] of keywords) if ([...at.values()].some((f) => f.deprecated)) candidates.push({ section, keyword });
    }
    for (const [key, since] of probeRemovals(binary, candidates)) {
      if (!refused.has(key) || byVersion(since, refused.get(key)) < 0) refused.set(key, since);
    }
  }

  // Which keywords of the other proxy sections a frontend or backend refuses (most are only ignored).
  const notAllowed = new Map();
  for (const binary of options.binaries) {
    const present = (section, keyword) => table.get(section)?.get(keyword)?.has(binary.version);
    const candidates = [];
    for (const section of ['frontend', 'backend']) {
      const others = new Set(PROXIES.flatMap((p) => [...(table.get(p)?.keys() ?? [])].filter((k) => present(p, k))));
      for (const keyword of others) if (!present(section, keyword)) candidates.push({ section, keyword });
    }
    for (const [section, keywords] of probeNotAllowed(binary, candidates)) {
      if (!notAllowed.has(section)) notAllowed.set(section, new Set());
      for (const k of keywords) notAllowed.get(section).add(k);
    }
  }

  /** First and (exclusive) last version of a set of versions; gaps in between are doc noise. */
  const range = (present) => {
    const list = versions.filter((v) => present.has(v));
    const since = list[0];
    const last = list[list.length - 1];
    const removed = versions[versions.indexOf(last) + 1];
    return { since, ...(removed ? { removed } : {}) };
  };

  const catalogue = { $comment: 'Generated by scripts/generate-keywords.mjs from HAProxy manuals, sources and binaries; do not edit by hand.', versions, sections: {} };
  for (const section of [...sectionVersions.keys()].sort()) {
    const present = sectionVersions.get(section);
    const deprecatedIn = versions.filter((v) => present.get(v)?.deprecated);
    const refusing = [...(notAllowed.get(section) ?? [])].sort();
    const entry = {
      ...range(new Set(present.keys())),
      ...(deprecatedIn.length ? { deprecated: deprecatedIn[0] } : {}),
      ...(overrides.sections?.[section]?.lenient ? { lenient: true } : {}),
      ...(refusing.length ? { notAllowed: refusing } : {}),
      ...(overrides.sectionArguments?.[section] ? { arguments: overrides.sectionArguments[section] } : {}),
      keywords: {},
    };
    for (const [keyword, at] of [...(table.get(section) ?? new Map())].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (keyword.length < 2) continue; // one-letter words are manual noise, never keywords
      const info = range(new Set(at.keys()));
      const refusedSince = refused.get(`${section} ${keyword}`);
      if (refusedSince) {
        // The version HAProxy names, catalogued or not (2.1): the rules compare versions.
        if (!info.removed || byVersion(refusedSince, info.removed) < 0) info.removed = refusedSince;
      }
      const deprecated = versions.find((v) => at.get(v)?.deprecated);
      const override = overrides.keywords?.[`${section} ${keyword}`] ?? overrides.keywords?.[keyword];
      const requires = override?.requires ?? [...at.values()].find((f) => f.requires)?.requires ?? requirementByName(keyword);
      const replacement = override?.replacement ?? [...at.values()].find((f) => f.replacement)?.replacement;
      const modifiable = [...at.values()].some((f) => f.modifiable) || versions.some((v) => at.has(v) && modifiableOf.get(v)?.has(keyword));
      entry.keywords[keyword] = {
        ...info,
        ...(deprecated || override?.deprecated ? { deprecated: override?.deprecated ?? deprecated } : {}),
        ...(replacement && (deprecated || info.removed) ? { replacement } : {}),
        ...(modifiable ? { modifiable: true } : {}),
        ...(requires ? { requires } : {}),
      };
    }
    catalogue.sections[section] = entry;
  }
  catalogue.modifiable = Object.fromEntries(versions.map((v) => [v, [...modifiableOf.get(v)].sort()]));
  writeFileSync(options.out, `${JSON.stringify(catalogue, null, 1)}\n`);
  const counts = Object.entries(catalogue.sections).map(([s, e]) => `${s}:${Object.keys(e.keywords).length}`);
  process.stdout.write(`wrote ${options.out}: ${counts.join(' ')}\n`);
}

main();
