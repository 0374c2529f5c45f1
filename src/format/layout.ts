/**
 * The canonical layout (spec format.md "Layout"): which output rows a file becomes, each with its
 * indentation level, and where blank lines go. It decides from the AST's structure only (section
 * headers, `.if` blocks, comments), never from the input's indentation, which is what makes a
 * second pass change nothing.
 */
import type { ConfigFile, Line } from '../syntax/index.js';
import { canonicalLineText, verbatimLineText } from './line-text.js';

export type Level = 0 | 1;

export type Row =
  /** A formatted line: `level` indentation units, then `text`. */
  | { kind: 'line'; level: Level; text: string }
  /** A line kept as written, its own indentation included. */
  | { kind: 'verbatim'; text: string }
  | { kind: 'blank' };

const PRETTIER_IGNORE = /^#\s*prettier-ignore\b/;
const FORMAT_OFF = /^#\s*hpm-fmt:\s*off\b/;
const FORMAT_ON = /^#\s*hpm-fmt:\s*on\b/;
const BLOCK_KEYWORDS = new Set(['.if', '.elif', '.else', '.endif']);

/** How a conditional directive line sits in its block. */
interface BlockInfo {
  /** 0 when the block holds a section keyword line or stands outside any section. */
  level: Level;
  /** The block holds a section keyword line: it is separated like a section. */
  holdsSection: boolean;
}

/**
 * `section-if`, `section-branch` (`.elif`/`.else`) and `section-endif` are the directives of a
 * block that holds section keyword lines: such a block is laid out like a section.
 */
type ItemRole = 'header' | 'section-if' | 'section-branch' | 'section-endif' | 'comment' | 'other';

interface Item {
  lines: Line[];
  role: ItemRole;
  /** Kept as written (prettier-ignore target, hpm-fmt: off region, scope line). */
  verbatim: boolean;
  /** Blank input lines between the previous item and this one. */
  blanksBefore: number;
  /** Set for items printed as a formatted line. */
  level: Level;
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
function usesLineNumbers(lines: readonly Line[]): boolean {
  for (const line of lines) {
    for (const word of line.words) {
      if (!word.raw.includes('.LINE')) continue;
      if (word.fragments.some((f) => f.kind === 'double-quoted' && /\$\{?\.LINE/.test(f.raw))) return true;
    }
  }
  return false;
}

function roleOf(line: Line, block: BlockInfo | undefined): ItemRole {
  if (line.kind === 'section') return 'header';
  if (block?.holdsSection) return line.keyword === '.if' ? 'section-if' : line.keyword === '.endif' ? 'section-endif' : 'section-branch';
  return isOwnLineComment(line) ? 'comment' : 'other';
}

/** Groups lines into items (one line each, or a whole `# hpm-fmt: off` region) and counts blanks. */
function collectItems(lines: readonly Line[], blocks: Map<Line, BlockInfo>): Item[] {
  const items: Item[] = [];
  let blanks = 0;
  let ignoreNext = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (isBlank(line)) {
      blanks++;
      continue;
    }
    if (isOwnLineComment(line) && FORMAT_OFF.test(line.comment!.raw)) {
      const region: Line[] = [line];
      while (i + 1 < lines.length) {
        const next = lines[++i]!;
        region.push(next);
        if (isOwnLineComment(next) && FORMAT_ON.test(next.comment!.raw)) break;
      }
      items.push({ lines: region, role: 'other', verbatim: true, blanksBefore: blanks, level: 0 });
      blanks = 0;
      ignoreNext = false;
      continue;
    }
    const role = roleOf(line, blocks.get(line));
    const verbatim = line.kind === 'scope' || (ignoreNext && role !== 'comment');
    items.push({ lines: [line], role, verbatim, blanksBefore: blanks, level: 0 });
    blanks = 0;
    if (role === 'comment' && PRETTIER_IGNORE.test(line.comment!.raw)) ignoreNext = true;
    else if (role !== 'comment') ignoreNext = false;
  }
  return items;
}

/** Whether the item opens a section for blank-line purposes: a header or the `.if` of a block holding one. */
function startsSection(item: Item): boolean {
  return item.role === 'header' || item.role === 'section-if';
}

/**
 * Comments right above a section start (no blank line between) belong to it: `leadOf` holds
 * their indexes, `heads` the index where each section start's group begins (its first leading
 * comment, or itself), which is where the blank line before a section goes.
 */
function markLeads(items: readonly Item[]): { leadOf: Set<number>; heads: Set<number> } {
  const leadOf = new Set<number>();
  const heads = new Set<number>();
  items.forEach((item, k) => {
    if (!startsSection(item)) return;
    let head = k;
    while (head > 0 && items[head]!.blanksBefore === 0 && items[head - 1]!.role === 'comment') {
      head--;
      leadOf.add(head);
    }
    heads.add(head);
  });
  return { leadOf, heads };
}

function assignLevels(items: Item[], blocks: Map<Line, BlockInfo>, leadOf: Set<number>): void {
  // Walk backwards so that each own-line comment can copy the level of what follows it.
  let next: Item | undefined;
  for (let k = items.length - 1; k >= 0; k--) {
    const item = items[k]!;
    const line = item.lines[0]!;
    if (item.role === 'header') item.level = 0;
    else if (isBlockDirective(line)) item.level = blocks.get(line)?.level ?? 0;
    else if (item.role === 'comment') {
      const followsFormatted = next !== undefined && !next.verbatim && next.role === 'other';
      item.level = leadOf.has(k) ? 0 : followsFormatted ? next!.level : bodyLevel(line);
    } else item.level = bodyLevel(line);
    if (item.role !== 'comment') next = item;
  }
}

/** Blank lines between two items (outside files that use `.LINE`). */
function blankLinesBetween(previous: Item, item: Item, itemIsHead: boolean): number {
  // What a block holding sections wraps starts right after its `.if`/`.elif`/`.else`.
  const previousWraps = previous.role === 'section-if' || previous.role === 'section-branch';
  // Exactly one blank line before a section (or its leading comments)...
  if (itemIsHead) return previousWraps ? 0 : 1;
  // ...none at the start or the end of a section body.
  if (previousWraps || previous.role === 'header') return 0;
  if (item.role === 'section-branch' || item.role === 'section-endif') return 0;
  // Elsewhere runs of blank lines collapse to one.
  return Math.min(1, item.blanksBefore);
}

export function layout(ast: ConfigFile): Row[] {
  const blocks = analyseBlocks(ast.lines);
  const items = collectItems(ast.lines, blocks);
  const { leadOf, heads } = markLeads(items);
  assignLevels(items, blocks, leadOf);
  const keepBlankLines = usesLineNumbers(ast.lines);

  const rows: Row[] = [];
  items.forEach((item, k) => {
    if (keepBlankLines) {
      for (let b = 0; b < item.blanksBefore; b++) rows.push({ kind: 'blank' });
    } else if (k > 0 && blankLinesBetween(items[k - 1]!, item, heads.has(k)) > 0) {
      rows.push({ kind: 'blank' });
    }
    if (item.verbatim) for (const line of item.lines) rows.push({ kind: 'verbatim', text: verbatimLineText(line) });
    else rows.push({ kind: 'line', level: item.level, text: canonicalLineText(item.lines[0]!) });
  });
  return rows;
}
