/**
 * The canonical layout (spec format.md "Layout"): which output lines a file becomes, each with its
 * indentation level, and where blank lines go. It decides from the AST's structure only (section
 * headers, `.if` blocks, comments), never from the input's indentation, which is what makes a
 * second pass change nothing.
 *
 * It writes the formatted text straight away. A large file has a hundred thousand lines, so the
 * layout keeps what it knows about them in a few typed arrays (one slot per item), not in an
 * object per line for the garbage collector to chase.
 */
import type { ConfigFile, Line } from '../syntax/index.js';
import { canonicalLineText, verbatimLineText } from './line-text.js';

export type Level = 0 | 1;

const PRETTIER_IGNORE = /^#\s*prettier-ignore\b/;
const FORMAT_OFF = /^#\s*hpm-fmt:\s*off\b/;
const FORMAT_ON = /^#\s*hpm-fmt:\s*on\b/;
const BLOCK_KEYWORDS = new Set(['.if', '.elif', '.else', '.endif']);
const BOM = '\ufeff';

/** How a conditional directive line sits in its block. */
interface BlockInfo {
  /** 0 when the block holds a section keyword line or stands outside any section. */
  level: Level;
  /** The block holds a section keyword line: it is separated like a section. */
  holdsSection: boolean;
}

/**
 * What an item is for the layout. `SECTION_IF`, `SECTION_BRANCH` (`.elif`/`.else`) and
 * `SECTION_ENDIF` are the directives of a block that holds section keyword lines: such a block
 * is laid out like a section.
 */
const HEADER = 0;
const SECTION_IF = 1;
const SECTION_BRANCH = 2;
const SECTION_ENDIF = 3;
const COMMENT = 4;
const OTHER = 5;

/**
 * The items of a file, one slot each in parallel arrays: an item is a non-blank line, or a whole
 * `# hpm-fmt: off` region.
 */
interface Items {
  count: number;
  /** Index (in the AST's lines) of the item's first and last line; they differ for a region only. */
  first: Int32Array;
  last: Int32Array;
  role: Uint8Array;
  /** 1: kept as written (prettier-ignore target, hpm-fmt: off region, scope line). */
  verbatim: Uint8Array;
  /** Blank input lines between the previous item and this one. */
  blanksBefore: Int32Array;
  /** Indentation level, for items printed as a formatted line. */
  level: Uint8Array;
  /** 1: a blank line goes before this item when it is not the first (a section start or its first leading comment). */
  head: Uint8Array;
  /** 1: a comment right above a section start, which belongs to that section. */
  lead: Uint8Array;
}

function isBlank(line: Line): boolean {
  return line.kind === 'blank' && line.words.length === 0;
}

function isOwnLineComment(line: Line): boolean {
  return line.kind === 'comment';
}

function isBlockDirective(line: Line): boolean {
  return line.kind === 'directive' && BLOCK_KEYWORDS.has(line.keyword ?? '');
}

/** Statement level inside a section (by position), column 0 outside any. */
function bodyLevel(line: Line): Level {
  return line.structuralSectionIndex !== undefined ? 1 : 0;
}

/** Pairs each `.if` with its `.elif/.else/.endif` and decides the block's indentation. */
function analyseBlocks(lines: readonly Line[]): Map<Line, BlockInfo> {
  const info = new Map<Line, BlockInfo>();
  const open: { members: Line[]; holdsSection: boolean }[] = [];
  for (const line of lines) {
    if (line.kind === 'section') open.forEach((b) => (b.holdsSection = true));
    if (!isBlockDirective(line)) continue;
    if (line.keyword === '.if') {
      open.push({ members: [line], holdsSection: false });
      continue;
    }
    const block = open[open.length - 1];
    if (!block) continue; // unbalanced: refused before layout (syntax/conditional)
    block.members.push(line);
    if (line.keyword !== '.endif') continue;
    open.pop();
    const opener = block.members[0]!;
    const level: Level = block.holdsSection || opener.structuralSectionIndex === undefined ? 0 : 1;
    for (const member of block.members) info.set(member, { level, holdsSection: block.holdsSection });
  }
  for (const block of open) for (const member of block.members) info.set(member, { level: 0, holdsSection: block.holdsSection });
  return info;
}

/**
 * A file that uses `"$.LINE"` sees line numbers: removing or adding blank lines would change the
 * words HAProxy builds, so such a file keeps its blank lines exactly.
 */
function usesLineNumbers(ast: ConfigFile): boolean {
  if (!ast.text.includes('.LINE')) return false;
  for (const line of ast.lines) {
    for (const word of line.words) {
      if (!word.raw.includes('.LINE')) continue;
      if (word.fragments.some((f) => f.kind === 'double-quoted' && /\$\{?\.LINE/.test(f.raw))) return true;
    }
  }
  return false;
}

function roleOf(line: Line, blocks: Map<Line, BlockInfo>): number {
  if (line.kind === 'section') return HEADER;
  if (isBlockDirective(line) && blocks.get(line)?.holdsSection) return line.keyword === '.if' ? SECTION_IF : line.keyword === '.endif' ? SECTION_ENDIF : SECTION_BRANCH;
  return isOwnLineComment(line) ? COMMENT : OTHER;
}

/** Groups lines into items (one line each, or a whole `# hpm-fmt: off` region) and counts blanks. */
function collectItems(lines: readonly Line[], blocks: Map<Line, BlockInfo>): Items {
  const capacity = lines.length;
  const items: Items = {
    count: 0,
    first: new Int32Array(capacity),
    last: new Int32Array(capacity),
    role: new Uint8Array(capacity),
    verbatim: new Uint8Array(capacity),
    blanksBefore: new Int32Array(capacity),
    level: new Uint8Array(capacity),
    head: new Uint8Array(capacity),
    lead: new Uint8Array(capacity),
  };
  const add = (first: number, last: number, role: number, verbatim: boolean, blanksBefore: number): void => {
    const k = items.count++;
    items.first[k] = first;
    items.last[k] = last;
    items.role[k] = role;
    items.verbatim[k] = verbatim ? 1 : 0;
    items.blanksBefore[k] = blanksBefore;
  };
  let blanks = 0;
  let ignoreNext = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (isBlank(line)) {
      blanks++;
      continue;
    }
    if (isOwnLineComment(line) && FORMAT_OFF.test(line.comment!.raw)) {
      const first = i;
      while (i + 1 < lines.length) {
        const next = lines[++i]!;
        if (isOwnLineComment(next) && FORMAT_ON.test(next.comment!.raw)) break;
      }
      add(first, i, OTHER, true, blanks);
      blanks = 0;
      ignoreNext = false;
      continue;
    }
    const role = roleOf(line, blocks);
    add(i, i, role, line.kind === 'scope' || (ignoreNext && role !== COMMENT), blanks);
    blanks = 0;
    if (role === COMMENT && PRETTIER_IGNORE.test(line.comment!.raw)) ignoreNext = true;
    else if (role !== COMMENT) ignoreNext = false;
  }
  return items;
}

/** Whether the item opens a section for blank-line purposes: a header or the `.if` of a block holding one. */
function startsSection(items: Items, k: number): boolean {
  return items.role[k] === HEADER || items.role[k] === SECTION_IF;
}

/**
 * Comments right above a section start (no blank line between) belong to it (`lead`); the blank
 * line before a section goes before its first leading comment, or before itself (`head`).
 */
function markLeads(items: Items): void {
  for (let k = 0; k < items.count; k++) {
    if (!startsSection(items, k)) continue;
    let head = k;
    while (head > 0 && items.blanksBefore[head] === 0 && items.role[head - 1] === COMMENT) {
      head--;
      items.lead[head] = 1;
    }
    items.head[head] = 1;
  }
}

function assignLevels(items: Items, lines: readonly Line[], blocks: Map<Line, BlockInfo>): void {
  // Walk backwards so that each own-line comment can copy the level of what follows it.
  let next = -1;
  for (let k = items.count - 1; k >= 0; k--) {
    const line = lines[items.first[k]!]!;
    const role = items.role[k]!;
    let level: Level;
    if (role === HEADER) level = 0;
    else if (isBlockDirective(line)) level = blocks.get(line)?.level ?? 0;
    else if (role === COMMENT) {
      const followsFormatted = next >= 0 && items.verbatim[next] === 0 && items.role[next] === OTHER;
      level = items.lead[k] ? 0 : followsFormatted ? (items.level[next] as Level) : bodyLevel(line);
    } else level = bodyLevel(line);
    items.level[k] = level;
    if (role !== COMMENT) next = k;
  }
}

/** Blank lines between two items (outside files that use `.LINE`). */
function blankLinesBetween(items: Items, k: number): number {
  const previous = items.role[k - 1]!;
  const role = items.role[k]!;
  // What a block holding sections wraps starts right after its `.if`/`.elif`/`.else`.
  const previousWraps = previous === SECTION_IF || previous === SECTION_BRANCH;
  // Exactly one blank line before a section (or its leading comments)...
  if (items.head[k]) return previousWraps ? 0 : 1;
  // ...none at the start or the end of a section body.
  if (previousWraps || previous === HEADER) return 0;
  if (role === SECTION_BRANCH || role === SECTION_ENDIF) return 0;
  // Elsewhere runs of blank lines collapse to one.
  return Math.min(1, items.blanksBefore[k]!);
}

/** Offset of each line's first character in the text, and the text's length last: lines end at LF. */
function lineStarts(text: string, count: number): Int32Array {
  const starts = new Int32Array(count + 1);
  let at = 0;
  for (let i = 0; i < count; i++) {
    starts[i] = at;
    const lf = text.indexOf('\n', at);
    at = lf < 0 ? text.length : lf + 1;
  }
  starts[count] = text.length;
  return starts;
}

export interface LayoutOptions {
  /** One indentation level: spaces or a TAB. */
  unit: string;
  /** Leave out a BOM that starts the first line (Prettier puts it back in front of the output). */
  dropLeadingBom?: boolean;
}

/**
 * The formatted file: every output line ends with `\n` (Prettier turns it into the endOfLine
 * option's line end). Empty for a file without items.
 */
export function layoutText(ast: ConfigFile, options: LayoutOptions): string {
  const { lines, text } = ast;
  const blocks = analyseBlocks(lines);
  const items = collectItems(lines, blocks);
  markLeads(items);
  assignLevels(items, lines, blocks);
  const keepBlankLines = usesLineNumbers(ast);
  const starts = lineStarts(text, lines.length);
  /** The end of line i's text: its LF, or the text's end. */
  const endOf = (i: number): number => starts[i + 1]! - lines[i]!.eol.length;

  const out: string[] = [];
  for (let k = 0; k < items.count; k++) {
    if (keepBlankLines) {
      for (let b = 0; b < items.blanksBefore[k]!; b++) out.push('\n');
    } else if (k > 0 && blankLinesBetween(items, k) > 0) {
      out.push('\n');
    }
    const first = items.first[k]!;
    if (items.verbatim[k]) {
      for (let i = first; i <= items.last[k]!; i++) out.push(verbatimLineText(text, starts[i]!, endOf(i)), '\n');
      continue;
    }
    if (items.level[k] === 1) out.push(options.unit);
    out.push(canonicalLineText(lines[first]!, text, starts[first]!, endOf(first)), '\n');
  }
  // A BOM is part of line 1's first word, so it can only be the very first character.
  if (options.dropLeadingBom && out.length > 0 && out[0]!.startsWith(BOM)) out[0] = out[0]!.slice(BOM.length);
  return out.join('');
}
