/**
 * CST -> AST. Reads the lines in order the way HAProxy's configuration reader does: cook the
 * words under the current env, track `.if` blocks, open sections on section keywords, apply
 * `global` setenv & co. to the env of later lines, and report every error it meets.
 */
import { scanLines, type LineScan } from '../../grammar/line-scan.js';
import type { Comment, ConfigFile, Diagnostic, Line, Position, Section, Span, Word } from './ast.js';
import { LazyWord, type LineOrigin } from './lazy-word.js';
import { CommentNode, LineNode } from './line-node.js';
import { rememberedLines, rememberShapes, reshapeLine } from './shape-reuse.js';
import { cookWord, type Env } from './cook.js';
import { DEFAULT_FEATURES, evaluateCondition } from './conditions.js';
import { ALL_SECTION_KEYWORDS } from './sections.js';
import { applyEnvKeyword, ENV_KEYWORDS } from './env-keywords.js';

export interface ParseOptions {
  /** File name used in diagnostics and `.FILE`. */
  file?: string;
  /** The environment variables seen by `$VAR` and `defined()`; default: none. */
  env?: Env;
  /** HAProxy version for `version_atleast()` / `version_before()`: `X.Y` (that branch's latest release) or `X.Y.Z`; default 2.6.12, Debian 12's build, like the default features. */
  haproxyVersion?: string;
  /** Build features for `feature()`; default: Debian 12's 2.6 build. */
  features?: readonly string[];
  /**
   * How the text was decoded from bytes (default utf8). HAProxy's `position N` counts bytes, so
   * the messages convert character columns back to byte columns with it.
   */
  encoding?: 'utf8' | 'latin1';
}

/** State that crosses file boundaries when several files form one configuration. */
export interface ReaderState {
  /** The env as modified by `global` setenv/presetenv/resetenv/unsetenv so far. */
  env: Record<string, string | undefined>;
}

const MAX_WORDS = 64;
const MAX_NESTED_CONDITIONS = 100;
const MESSAGE_DIRECTIVES = new Set(['.notice', '.warning', '.alert', '.diag']);

/** Line shapes come from the CST (grammar/line-scan.ts); a cache keeps one string per distinct indent/gap (most repeat). */
const blankStrings = new Map<string, string>();
function blankText(text: string, from: number, to: number): string {
  if (to - from === 1) return text[from]!; // one-character strings are interned by V8 already
  const s = text.slice(from, to);
  if (s.length > 16) return s;
  const known = blankStrings.get(s);
  if (known !== undefined) return known;
  if (blankStrings.size < 256) blankStrings.set(s, s);
  return s;
}

/** Shared by every line without words / gaps (comments, blanks): frozen, nothing may add to them. */
const NO_WORDS = Object.freeze([]) as unknown as Word[];
const NO_GAPS = Object.freeze([]) as unknown as string[];

/** Line offsets without building the line's span (see LineNode). */
function startOffsetOf(line: Line): number {
  return line instanceof LineNode ? line.startOffset : line.span.start.offset;
}
function endOffsetOf(line: Line): number {
  return line instanceof LineNode ? line.endOffset : line.span.end.offset;
}

/** The lexical shape of one physical line (scanned into `scan`), before any meaning is given to it. */
function buildLineShape(text: string, scan: LineScan, number: number): Line {
  const lineStartOffset = scan.start;
  const origin: LineOrigin = { text, number, start: lineStartOffset };
  const eol = scan.end > scan.contentEnd ? '\n' : '';
  const words: Word[] = scan.wordCount === 0 ? NO_WORDS : new Array(scan.wordCount);
  const gaps: string[] = scan.wordCount <= 1 ? NO_GAPS : new Array(scan.wordCount - 1);
  const bounds = scan.wordBounds;
  for (let k = 0; k < scan.wordCount; k++) {
    const from = bounds[2 * k]!;
    const to = bounds[2 * k + 1]!;
    words[k] = new LazyWord(text.slice(from, to), origin, from);
    if (k > 0) gaps[k - 1] = blankText(text, bounds[2 * k - 1]!, from);
  }
  const contentEnd = scan.tailStart >= 0 ? scan.tailStart : scan.contentEnd;
  const indent = scan.indentEnd > lineStartOffset ? blankText(text, lineStartOffset, scan.indentEnd) : '';
  const trailing = scan.trailingStart >= 0 ? blankText(text, scan.trailingStart, contentEnd) : '';
  const line = new LineNode(number, lineStartOffset, scan.end, indent, words, gaps, trailing, eol);
  if (scan.scopeStart >= 0) line.scope = text.slice(scan.scopeStart, scan.contentEnd);
  if (scan.tailStart >= 0) {
    const tail = text.slice(scan.tailStart, scan.contentEnd);
    if (scan.tailKind === 'comment') line.comment = new CommentNode(tail, origin, scan.tailStart);
    else if (scan.tailKind === 'cr') line.crTail = tail;
    else line.nulTail = tail;
  }
  return line;
}

interface ConditionFrame {
  /** taken: this branch is read; pending: no branch taken yet; done: a branch was taken; skipped: the parent is skipped. */
  state: 'taken' | 'pending' | 'done' | 'skipped';
  sawElse: boolean;
  line: Line;
  /** The branch being read is the `.if defined(HPM_RUN)` branch. */
  guardsHpmRun: boolean;
}

/** Builds the AST of one file. `state` carries the env across the files of one configuration. */
export function buildAst(text: string, options: ParseOptions = {}, state?: ReaderState): ConfigFile {
  const file = options.file ?? '<input>';
  const reader: ReaderState = state ?? { env: { ...(options.env ?? {}) } };
  const conditionContext = () => ({
    env: reader.env,
    haproxyVersion: options.haproxyVersion ?? '2.6.12',
    features: options.features ?? DEFAULT_FEATURES,
  });
  const diagnostics: Diagnostic[] = [];
  const report = (ruleId: string, message: string, span: Span, hint?: string, severity: Diagnostic['severity'] = 'error') =>
    diagnostics.push({ ruleId, severity, message, file, span, ...(hint ? { hint } : {}) });

  /** HAProxy's 1-based byte column of a position (its lines are byte strings). */
  const bytePosition = (at: Position): number =>
    options.encoding === 'latin1' ? at.column : Buffer.byteLength(text.slice(at.offset - at.column + 1, at.offset), 'utf8') + 1;
  const lines: Line[] = [];
  /** HAProxy's per-file tokenizer output buffer (see growsTokenBuffer). */
  const tokenBuffer = { size: 0 };
  /** Cheap bound: output longer than the buffer needs expansions or a line longer than a third of it. */
  let nextDollar = -1;
  const mayOutgrow = (line: Line): boolean => {
    const start = startOffsetOf(line);
    const end = endOffsetOf(line);
    if ((end - start) * 3 >= tokenBuffer.size) return true;
    if (nextDollar !== Infinity && nextDollar < start) {
      const found = text.indexOf('$', start);
      nextDollar = found < 0 ? Infinity : found; // lines come in order: each byte is searched once
    }
    return nextDollar < end;
  };
  const sections: Section[] = [];
  const structuralSections: Section[] = [];
  const frames: ConditionFrame[] = [];
  let current: Section | undefined;
  let structural: Section | undefined;
  let offset = 0;

  const earlier = rememberedLines(text, options.encoding);
  if (earlier) {
    for (const line of earlier) readLine(reshapeLine(line));
  } else {
    const grammarErrors = scanLines(text, (scan) => readLine(buildLineShape(text, scan, lines.length + 1)));
    for (const e of grammarErrors) report('syntax/internal', `internal grammar error: ${e}`, { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } });
  }

  /** One physical line, in order: HAProxy's reader loop body. */
  function readLine(line: Line): void {
    offset = endOffsetOf(line);
    lines.push(line);
    line.conditionDepth = frames.length;
    line.hpmRunGuarded = frames.some((f) => f.guardsHpmRun);
    const readingBefore = frames.every((f) => f.state === 'taken');

    if (line.words.length === 0) {
      // HAProxy checks scope lines before tokenizing or looking at `.if` state.
      if (line.scope !== undefined) checkScope(line, report);
      else growsTokenBuffer(line, tokenBuffer);
      line.kind = line.scope ? 'scope' : line.comment ? 'comment' : 'blank';
      line.active = readingBefore;
      attach(line, readingBefore ? current : undefined, structural);
      return;
    }

    const defaultBraceAt = cookLine(line, reader.env, file, current, report, bytePosition, options.encoding, earlier?.[line.number - 1]?.args);
    if (line.args !== undefined && mayOutgrow(line) && growsTokenBuffer(line, tokenBuffer) && defaultBraceAt) {
      report(
        'syntax/invalid-env-var',
        `unmatched brace in environment variable name at position ${bytePosition(defaultBraceAt)}`,
        pointSpan(defaultBraceAt),
        'HAProxy 2.6 rejects a ${NAME-default} on a line that is longer than every line before it in the file (the first line, or past a multiple of 1 KiB): put a comment line first, or avoid the default',
      );
      line.args = undefined;
      delete line.emptyWordIndex;
    }
    if (line.args === undefined || line.args.length === 0 || line.args[0] === '') {
      // A lexical error (HAProxy skips the line) or an empty first word (a blank line to HAProxy).
      line.kind = line.args === undefined ? 'statement' : 'blank';
      line.active = readingBefore;
      attach(line, readingBefore ? current : undefined, structural);
      return;
    }

    if (line.args[0]!.startsWith('.')) {
      line.kind = 'directive';
      line.keyword = line.args[0];
      handleDirective(line, frames, readingBefore, conditionContext, report);
      line.active = readingBefore;
      attach(line, readingBefore ? current : undefined, structural);
      return;
    }

    let args = line.args;
    if (args[0] === 'no' || args[0] === 'default') {
      line.modifier = args[0];
      args = args.slice(1);
    }
    line.keyword = args[0] ?? '';
    line.active = readingBefore;
    const isSection = ALL_SECTION_KEYWORDS.has(line.keyword);
    if (isSection) {
      line.kind = 'section';
      const section: Section = { keyword: line.keyword, name: args[1], header: line, lines: [], file };
      structural = { ...section, lines: [] };
      structuralSections.push(structural);
      line.structuralSectionIndex = structuralSections.length - 1;
      if (readingBefore) {
        current = section;
        sections.push(section);
        line.sectionIndex = sections.length - 1;
      }
      return;
    }
    line.kind = 'statement';
    attach(line, readingBefore ? current : undefined, structural);
    if (!readingBefore) return;
    if (!current) {
      report('syntax/keyword-out-of-section', `unknown keyword '${line.keyword}' out of section.`, line.words[0]!.span, outOfSectionHint(line.keyword));
      return;
    }
    if (current.keyword === 'global' && ENV_KEYWORDS.has(line.keyword)) applyEnvKeyword(reader.env, line.keyword, args.slice(1));
  }

  for (const frame of frames) {
    // Pointed at the open `.if`; HAProxy names the file's last line.
    report('syntax/conditional', `non-terminated '.if' block. (HAProxy reports it at line ${lines.length}, the end of the file)`, frame.line.words[0]!.span, `close it with '.endif'`);
  }
  checkLineEnds(text, lines, report);

  function attach(line: Line, section: Section | undefined, structuralSection: Section | undefined): void {
    if (section) {
      section.lines.push(line);
      line.sectionIndex = sections.length - 1; // the reader's current section is always the last one
    }
    if (structuralSection) {
      structuralSection.lines.push(line);
      line.structuralSectionIndex = structuralSections.length - 1;
    }
  }

  const ast: ConfigFile = { file, text, lines, sections, structuralSections, diagnostics };
  rememberShapes(ast, options.encoding);
  return ast;
}

function outOfSectionHint(keyword: string): string {
  if (keyword.startsWith('\ufeff') || keyword.startsWith('\xef\xbb\xbf')) return 'the file starts with a UTF-8 byte order mark, which HAProxy 2.6 reads as part of the first word: save the file without BOM';
  return `put it inside a section (e.g. after 'global'), or fix the section keyword above it`;
}

type Report = (ruleId: string, message: string, span: Span, hint?: string, severity?: Diagnostic['severity']) => void;

function pointSpan(at: Position): Span {
  return { start: at, end: { offset: at.offset + 1, line: at.line, column: at.column + 1 } };
}

/** Cooks every word of a line into `word.values` and the line's HAProxy argv (`line.args`). */
/** Returns the `{` of the line's first `${NAME-default}`, if any (see Cooked.defaultBraceAt). */
function cookLine(
  line: Line,
  env: Env,
  file: string,
  section: Section | undefined,
  report: Report,
  bytePosition: (at: Position) => number,
  encoding: 'utf8' | 'latin1' | undefined,
  previousArgs: string[] | undefined,
): Position | undefined {
  // Sized for one value per word (the usual case), so it can become line.args as it is.
  const values: string[] = new Array(line.words.length);
  let count = 0;
  let firstEmpty: number | undefined;
  let defaultBraceAt: Position | undefined;
  for (let i = 0; i < line.words.length; i++) {
    const word = line.words[i]!;
    // A word shared with an earlier reader of the same text (shape-reuse.ts) is cooked already.
    const known = word instanceof LazyWord ? word.cookedSoFar() : undefined;
    const simple = typeof known === 'string' ? known : known === undefined && word instanceof LazyWord ? word.simpleValue() : undefined;
    if (simple !== undefined) {
      if (known === undefined) (word as LazyWord).setSimpleValue(simple);
      if (simple === '' && firstEmpty === undefined) firstEmpty = i;
      values[count++] = simple;
      continue;
    }
    if (known !== undefined) {
      for (const v of known) {
        if (v === '' && firstEmpty === undefined) firstEmpty = i;
        values[count++] = v;
      }
      continue;
    }
    const ctx = { env, file, line: line.number, section: section ? (section.name ?? section.keyword) : '', encoding };
    const cooked = cookWord(word instanceof LazyWord ? word.fragmentsForCooking() : word.fragments, ctx);
    if (cooked.error) {
      const hint =
        cooked.error.ruleId === 'syntax/unmatched-quote'
          ? 'close the quote on the same line: HAProxy has no line continuation'
          : cooked.error.ruleId === 'syntax/invalid-hex-escape'
            ? 'write \\x followed by exactly two hex digits, or \\\\x for a literal backslash-x'
            : 'inside double quotes, $ starts a variable: write \\$ for a literal dollar, ${NAME} or ${NAME-default} for a variable';
      report(cooked.error.ruleId, `${cooked.error.what} at position ${bytePosition(cooked.error.at)}`, pointSpan(cooked.error.at), hint);
      return undefined;
    }
    word.values = cooked.values;
    defaultBraceAt ??= cooked.defaultBraceAt;
    for (const v of cooked.values) {
      if (v === '' && firstEmpty === undefined) {
        firstEmpty = i;
      }
      values[count++] = v;
    }
  }
  // HAProxy opens a new word slot at every separator, a trailing blank included, and complains
  // as soon as a slot past the 64th is opened: 64 words plus a trailing blank is one too many.
  const trailingSlot = line.trailing.length > 0 ? 1 : 0;
  if (values.length + trailingSlot > MAX_WORDS) {
    let seen = 0;
    const extra = line.words.find((w) => (seen += w.values?.length ?? 0) > MAX_WORDS);
    const position = values.slice(0, MAX_WORDS - 1).reduce((n, v) => n + utf8Length(v) + 1, 1);
    const why = extra ? `this line has ${values.length} words` : `64 words and a trailing blank, which HAProxy counts as the start of a 65th`;
    report(
      'syntax/too-many-words',
      `too many words, truncating after word ${MAX_WORDS}, position ${position}: <${values[MAX_WORDS - 1]}>. (${why}; HAProxy allows at most ${MAX_WORDS})`,
      extra ? extra.span : trailingSpan(line),
      extra ? 'split the line or move the arguments into a file the program reads' : 'remove the blanks at the end of the line',
    );
    return undefined;
  }
  const cut = values.indexOf('');
  const argCount = cut >= 0 ? cut : values.length;
  // The same argv as an earlier reader of this text (shape-reuse.ts): share its array.
  line.args = previousArgs !== undefined && sameStrings(previousArgs, values, argCount) ? previousArgs : argCount === values.length ? values : values.slice(0, argCount);
  if (cut >= 0) line.emptyWordIndex = firstEmpty;
  return defaultBraceAt;
}

/** Whether `a` is exactly the first `count` strings of `b`. */
function sameStrings(a: readonly string[], b: readonly string[], count: number): boolean {
  if (a.length !== count) return false;
  for (let i = 0; i < count; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * HAProxy 2.6 tokenizes into a buffer that starts empty and grows (to a multiple of 1 KiB) when a
 * line's output does not fit; the line is then tokenized again. Returns true when this line makes
 * the buffer grow. `size` is the buffer size so far and is updated.
 */
function growsTokenBuffer(line: Line, buffer: { size: number }): boolean {
  let needed = 1; // the final NUL
  for (const word of line.words) for (const v of word.values ?? []) needed += Buffer.byteLength(v, 'utf8') + 1;
  if (line.words.length > 0 && line.trailing.length === 0) needed -= 1; // the last word's NUL is the final one
  if (needed <= buffer.size) return false;
  buffer.size = Math.ceil(needed / 1024) * 1024;
  return true;
}

/** `[name]` (§1.2): a name of identifier characters, then only blanks or a comment (checked with 2.6). */
function checkScope(line: Line, report: Report): void {
  const text = line.scope!;
  const start = line.span.start.offset + line.indent.length;
  const at = (i: number): Span => pointSpan({ offset: start + i, line: line.number, column: line.indent.length + i + 1 });
  const close = text.indexOf(']');
  const hint = 'scope lines ([name]) only matter in SPOE files; a name is made of letters, digits, ".", "-", "_" and ":"';
  if (close <= 1) {
    report('syntax/invalid-scope', 'empty scope name is forbidden.', at(0), hint);
    return;
  }
  for (let i = 1; i < close; i++) {
    if (!/[A-Za-z0-9._:-]/.test(text[i]!)) {
      report('syntax/invalid-scope', `character '${text[i]}' is not permitted in a scope name.`, at(i), hint);
      return;
    }
  }
  let i = close + 1;
  while (i < text.length && /[ \t\v\f\r]/.test(text[i]!)) i++;
  if (i < text.length && text[i] !== '#') report('syntax/invalid-scope', `character '${text[i]}' is not permitted after scope declaration.`, at(i), hint);
}

function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** The blanks after the last word of a line. */
function trailingSpan(line: Line): Span {
  const last = line.words[line.words.length - 1]!.span.end;
  return { start: last, end: { offset: last.offset + line.trailing.length, line: last.line, column: last.column + line.trailing.length } };
}

function handleDirective(
  line: Line,
  frames: ConditionFrame[],
  reading: boolean,
  conditionContext: () => Parameters<typeof evaluateCondition>[1],
  report: Report,
): void {
  const keyword = line.keyword!;
  const args = line.args!;
  const span = line.words[0]!.span;
  const top = frames[frames.length - 1];
  const evaluate = (): boolean => {
    // HAProxy re-joins *every* word of the line with single spaces, empty words included
    // (`.if "" 1` is true), so the expression is not cut at the first empty word like args are.
    const expression = line.words
      .flatMap((w) => w.values ?? [])
      .slice(1)
      .join(' ');
    const result = evaluateCondition(expression, conditionContext());
    if (result.error) report('syntax/conditional', `${result.error.message} in '${keyword}' at position ${result.error.position}`, line.words[1]?.span ?? span);
    return result.value;
  };
  const extraArgument = (): boolean => {
    if (args.length > 1) {
      report('syntax/conditional', `Unexpected argument '${args[1]}' for '${keyword}'.`, line.words[1]!.span, `'${keyword}' takes no argument`);
      return true;
    }
    return false;
  };
  switch (keyword) {
    case '.if': {
      // HAProxy counts the new level before checking it: the 100th nested `.if` is refused.
      if (frames.length + 1 >= MAX_NESTED_CONDITIONS) {
        report('syntax/conditional', `too many nested '.if', max is ${MAX_NESTED_CONDITIONS}.`, span);
        return;
      }
      const taken = reading ? evaluate() : false;
      const isHpmGuard = args.slice(1).join(' ').trim() === 'defined(HPM_RUN)';
      frames.push({ state: reading ? (taken ? 'taken' : 'pending') : 'skipped', sawElse: false, line, guardsHpmRun: isHpmGuard });
      return;
    }
    case '.elif': {
      if (!top) return report('syntax/conditional', `lone '.elif' with no matching '.if'.`, span);
      if (top.sawElse) return report('syntax/conditional', `'.elif' after '.else' is not permitted.`, span);
      top.guardsHpmRun = false;
      if (top.state === 'taken') top.state = 'done';
      else if (top.state === 'pending' && evaluate()) top.state = 'taken';
      return;
    }
    case '.else': {
      if (extraArgument()) return;
      if (!top) return report('syntax/conditional', `lone '.else' with no matching '.if'.`, span);
      if (top.sawElse) return report('syntax/conditional', `'.else' after '.else' is not permitted.`, span);
      top.sawElse = true;
      top.guardsHpmRun = false;
      if (top.state === 'taken') top.state = 'done';
      else if (top.state === 'pending') top.state = 'taken';
      return;
    }
    case '.endif': {
      if (extraArgument()) return;
      if (!top) return report('syntax/conditional', `lone '.endif' with no matching '.if'.`, span);
      frames.pop();
      return;
    }
  }
  if (!reading) return; // skipped blocks ignore everything but the block structure
  if (MESSAGE_DIRECTIVES.has(keyword)) {
    if (args.length > 2) {
      report(
        'syntax/unknown-directive',
        `Unexpected argument '${args[2]}' for '${keyword}'. Use quotes if the message should contain spaces.`,
        line.words[2]!.span,
        `quote the message: ${keyword} "${args.slice(1).join(' ')}"`,
      );
    } else if (keyword === '.alert') {
      report('syntax/unknown-directive', `'${args[1] ?? ''}'. (.alert stops HAProxy from loading this file)`, span, 'guard the .alert with an .if that is false for this reader');
    }
    return;
  }
  report('syntax/unknown-directive', `unknown directive '${keyword}'.`, span, `known directives: .if .elif .else .endif .notice .warning .alert .diag`);
}

/** Missing final LF and NUL bytes (§1.1), with HAProxy's positions. */
function checkLineEnds(text: string, lines: Line[], report: Report): void {
  const last = lines[lines.length - 1];
  // HAProxy reads a physical line with fgets() and stops at its first NUL, wherever it stands:
  // in a word, a comment, a CR tail or a scope line. One scan of the text; lines are in order.
  let lineIndex = 0;
  for (let at = text.indexOf('\0'); at >= 0; ) {
    while (lineIndex < lines.length - 1 && endOffsetOf(lines[lineIndex]!) <= at) lineIndex++;
    const line = lines[lineIndex]!;
    const column = at - startOffsetOf(line) + 1;
    const where = pointSpan({ offset: at, line: line.number, column });
    if (line !== last) {
      report('syntax/nul-byte', `Stray NUL character at position ${column}.`, where, 'remove the NUL byte: HAProxy stops reading the file there');
    } else {
      report('syntax/nul-byte', `Missing LF on last line, file might have been truncated at position ${column}.`, where, 'remove the NUL byte: HAProxy loses the rest of the line');
    }
    at = text.indexOf('\0', endOffsetOf(line)); // one report per line: the rest of it is lost anyway
  }
  if (last && last.eol === '' && !last.nulTail) {
    const length = last.span.end.column - 1;
    const at: Position = { offset: last.span.end.offset, line: last.number, column: length + 1 };
    report('syntax/missing-final-newline', `Missing LF on last line, file might have been truncated at position ${length + 1}.`, pointSpan(at), 'end the file with a newline');
  }
}
