/**
 * Where HAProxy of one version places each keyword line. The parser lays sections out by every
 * section keyword of any version; HAProxy only opens the sections its version knows, so under
 * 2.6 a `crt-store` line is a keyword of the section above it (or out of section), and so is
 * every line after it. The keyword rules share this one reading, computed once per reader.
 */
import type { ConfigFile, Line, Span, Word } from '../../../syntax/index.js';
import { ALL_SECTIONS, DEFAULT_HAPROXY_VERSION, existsIn, keywordInfo, sectionInfo, sectionsOf, type KeywordInfo } from '../../../model/keywords/index.js';
import { compareVersions } from '../../../syntax/index.js';
import type { RuleContext } from '../../types.js';

export interface PlacedLine {
  file: ConfigFile;
  line: Line;
  /** The keyword word (after `no`/`default`). */
  word: Word | undefined;
  keyword: string;
  /** The section HAProxy of this version reads the line in; undefined = out of section. */
  section: string | undefined;
  /** The line opens a section in this version. */
  opensSection: boolean;
  /** A section keyword of another version, read here as a plain keyword. */
  foreignSection: boolean;
  /** A line of a program section by position and for HAProxy: the program/* rules judge it. */
  programLine: boolean;
  /** What the catalogue knows of the keyword in its section, if anything. */
  info: KeywordInfo | undefined;
}

export interface Placement {
  version: string;
  /** The version was not given: the findings say which one was assumed. */
  assumed: boolean;
  /**
   * The keyword lines some keyword rule may report, in order: out of section, with a modifier,
   * of another version's section, unknown, not in this version, or deprecated in it, and section
   * lines with too many words. Every other line is fine for every keyword rule, so the rules never
   * look at it.
   */
  lines: PlacedLine[];
  noted?: boolean;
}

const cache = new WeakMap<readonly ConfigFile[], Placement>();

export function placementOf(context: RuleContext): Placement {
  let placement = cache.get(context.files);
  if (!placement) {
    const version = context.haproxyVersion ?? DEFAULT_HAPROXY_VERSION;
    placement = { version, assumed: context.haproxyVersion === undefined, lines: place(context.files, version) };
    cache.set(context.files, placement);
  }
  return placement;
}

function place(files: readonly ConfigFile[], version: string): PlacedLine[] {
  const sections = sectionsOf(version);
  const placed: PlacedLine[] = [];
  /** section + keyword -> the keyword is fine there in this version (most lines repeat a few pairs). */
  const fine = new Map<string, Map<string, boolean>>();
  for (const file of files) {
    // HAProxy starts every file out of section.
    let current: string | undefined;
    for (const line of file.lines) {
      if (!line.active || (line.kind !== 'section' && line.kind !== 'statement') || line.keyword === undefined || line.args === undefined) continue;
      const keyword = line.keyword;
      const opensSection = sections.has(keyword);
      const foreignSection = !opensSection && ALL_SECTIONS.has(keyword);
      const section = opensSection ? keyword : current;
      if (opensSection) current = keyword;
      // A program section of a version without them is program/removed's, lines included.
      else if (foreignSection && keyword === 'program') current = 'program';
      if (!line.modifier && section !== undefined && !foreignSection) {
        if (opensSection && !hasExtraArguments(line)) continue;
        if (opensSection) {
          placed.push({ file, line, word: line.words[0], keyword, section, opensSection, foreignSection, programLine: false, info: undefined });
          continue;
        }
        let known = fine.get(section);
        if (!known) fine.set(section, (known = new Map()));
        let ok = known.get(keyword);
        if (ok === undefined) {
          const info = keywordInfo(section, keyword);
          ok = info !== undefined && existsIn(info, version) && (info.deprecated === undefined || compareVersions(version, info.deprecated) < 0);
          known.set(keyword, ok);
        }
        if (ok) continue;
      }
      const structural = line.structuralSectionIndex === undefined ? undefined : file.structuralSections[line.structuralSectionIndex]?.keyword;
      const programLine = section === 'program' && (structural === 'program' || keyword === 'program');
      const info = section === undefined ? undefined : keywordInfo(section, keyword);
      placed.push({ file, line, word: line.words[line.modifier ? 1 : 0], keyword, section, opensSection, foreignSection, programLine, info });
    }
  }
  return placed;
}

/** A section line with more words than HAProxy takes after that section keyword. */
export function hasExtraArguments(line: Line): boolean {
  return extraArgumentIndex(line) !== undefined;
}

/** The index in `line.args` of the first word too many on a section line, if any. */
export function extraArgumentIndex(line: Line): number | undefined {
  const rule = sectionInfo(line.keyword!)?.arguments;
  if (!rule) return undefined;
  const args = line.args!;
  const afterName = (line.modifier ? 2 : 1) + rule.max;
  // `frontend fe from tcp-defaults`: the defaults section to inherit from.
  const extra = rule.from && args[afterName] === 'from' ? afterName + 2 : afterName;
  return args.length > extra ? extra : undefined;
}

/**
 * Reports a keyword finding on a placed line (on its keyword word unless a span is given), with
 * the version note on the first one: the one way the keyword rules report.
 */
export function reportPlaced(
  context: RuleContext,
  placement: Placement,
  placed: PlacedLine,
  finding: { message: string; hint?: string; span?: Span },
): void {
  context.report({
    file: placed.file.file,
    span: finding.span ?? placed.word!.span,
    message: `${finding.message}${versionNote(placement)}`,
    ...(finding.hint !== undefined ? { hint: finding.hint } : {}),
  });
}

/**
 * Said once per reader, on the first keyword finding, when no version was given: which version
 * the keywords were checked against.
 */
function versionNote(placement: Placement): string {
  if (!placement.assumed || placement.noted) return '';
  placement.noted = true;
  return ` (checked against HAProxy ${placement.version}, the default: choose with --haproxy-version)`;
}

/** A replacement in quotes when it is a keyword line (`'timeout client'`), as prose otherwise. */
export function quoteKeyword(text: string): string {
  return /^[a-z0-9][a-z0-9._-]*( [a-z0-9][a-z0-9._-]*)*$/.test(text) && !text.startsWith('the ') ? `'${text}'` : text;
}
