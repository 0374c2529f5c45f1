/**
 * CST -> AST. Reads the lines in order the way HAProxy's configuration reader does: shape each
 * line (line-shape.ts), cook its words under the current env (cook-line.ts, token-buffer.ts),
 * track `.if` blocks (conditional-blocks.ts), open sections on section keywords, apply `global`
 * setenv & co. to the env of later lines, check scope lines and line ends (scope-line.ts,
 * line-ends.ts). Findings are typed codes (findings.ts); the `syntax/*` lint rules word them.
 */
import { scanDefaults, scanLines } from '../../grammar/line-scan.js';
import { DEFAULT_HAPROXY_VERSION } from '../model/keywords/index.js';
import type { ConfigFile, Diagnostic, Line, Position, Section } from './ast.js';
import { isReading, readDirective, type ConditionFrame } from './conditional-blocks.js';
import { DEFAULT_FEATURES } from './conditions.js';
import { cookLine } from './cook-line.js';
import type { Env } from './cook.js';
import { applyEnvKeyword, ENV_KEYWORDS } from './env-keywords.js';
import { haproxyMessage, RULE_OF_CODE } from './findings.js';
import { checkLineEnds } from './line-ends.js';
import { buildLineShape, compactLineShape, isCompact } from './line-shape.js';
import { pointSpan, type ReportFinding } from './report.js';
import { checkScopeLine } from './scope-line.js';
import { ALL_SECTION_KEYWORDS } from './sections.js';
import { rememberedLines, rememberShapes, reshapeLine } from './shape-reuse.js';
import { TokenBuffer } from './token-buffer.js';

export interface ParseOptions {
  /** File name used in diagnostics and `.FILE`. */
  file?: string;
  /** The environment variables seen by `$VAR` and `defined()`; default: none. */
  env?: Env;
  /**
   * HAProxy version for `version_atleast()` / `version_before()`: `X.Y` (that branch's latest
   * release) or `X.Y.Z`; default DEFAULT_HAPROXY_VERSION (3.2), the version the keyword rules
   * assume too. The build features stay Debian 12's (a build matter, not a version one).
   */
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

/** Builds the AST of one file. `state` carries the env across the files of one configuration. */
export function buildAst(text: string, options: ParseOptions = {}, state?: ReaderState): ConfigFile {
  const file = options.file ?? '<input>';
  const reader: ReaderState = state ?? { env: { ...(options.env ?? {}) } };
  const conditionContext = () => ({
    env: reader.env,
    haproxyVersion: options.haproxyVersion ?? DEFAULT_HAPROXY_VERSION,
    features: options.features ?? DEFAULT_FEATURES,
  });
  const diagnostics: Diagnostic[] = [];
  const report: ReportFinding = (finding, span, hint) =>
    diagnostics.push({ ruleId: RULE_OF_CODE[finding.code], severity: 'error', message: haproxyMessage(finding), file, span, finding, ...(hint ? { hint } : {}) });

  /** HAProxy's 1-based byte column of a position (its lines are byte strings). */
  const bytePosition = (at: Position): number =>
    options.encoding === 'latin1' ? at.column : Buffer.byteLength(text.slice(at.offset - at.column + 1, at.offset), 'utf8') + 1;
  const lines: Line[] = [];
  const tokenBuffer = new TokenBuffer(text);
  const sections: Section[] = [];
  const structuralSections: Section[] = [];
  const frames: ConditionFrame[] = [];
  let current: Section | undefined;
  let structural: Section | undefined;

  // A grammar-only reading (the tests' reference) must scan for itself, not reuse a mixed one.
  const earlier = scanDefaults.grammarOnly ? undefined : rememberedLines(text, options.encoding);
  if (earlier) {
    for (const line of earlier) readLine(reshapeLine(line));
  } else {
    const grammarErrors = scanLines(text, (scan) => {
      const number = lines.length + 1;
      readLine((compactAllowed() && compactLineShape(text, scan, number, options.encoding)) || buildLineShape(text, scan, number));
    });
    for (const e of grammarErrors) report({ code: 'internal-grammar-error', error: String(e) }, pointSpan({ offset: 0, line: 1, column: 1 }));
  }

  /**
   * Lines of the sections the rules read word by word (`global`, `program`) and lines outside any
   * section are built in full; the others may be compact (line-shape.ts), their words built on
   * first read.
   */
  function compactAllowed(): boolean {
    const keyword = current?.keyword;
    const structuralKeyword = structural?.keyword;
    return keyword !== undefined && keyword !== 'global' && keyword !== 'program' && structuralKeyword !== 'global' && structuralKeyword !== 'program';
  }

  /** One physical line, in order: HAProxy's reader loop body. */
  function readLine(line: Line): void {
    lines.push(line);
    line.conditionDepth = frames.length;
    line.hpmRunGuarded = frames.some((f) => f.guardsHpmRun);
    const readingBefore = isReading(frames);

    // A compact line has words and its argv already (nothing to cook); reading its words would build them.
    const compact = isCompact(line);
    if (!compact && line.words.length === 0) {
      // HAProxy checks scope lines before tokenizing or looking at `.if` state.
      if (line.scope !== undefined) checkScopeLine(line, report);
      else tokenBuffer.grows(line);
      line.kind = line.scope ? 'scope' : line.comment ? 'comment' : 'blank';
      line.active = readingBefore;
      attach(line, readingBefore ? current : undefined, structural);
      return;
    }

    const defaultBraceAt = compact
      ? undefined
      : cookLine(line, {
          env: reader.env,
          file,
          section: current,
          report,
          bytePosition,
          encoding: options.encoding,
          previousArgs: earlier?.[line.number - 1]?.args,
        });
    if (line.args !== undefined && tokenBuffer.mayOutgrow(line) && tokenBuffer.grows(line) && defaultBraceAt) {
      report({ code: 'env-var-default-reread', position: bytePosition(defaultBraceAt) }, pointSpan(defaultBraceAt));
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
      readDirective(line, frames, readingBefore, current?.keyword, conditionContext, report);
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
    if (ALL_SECTION_KEYWORDS.has(line.keyword)) {
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
      const byteOrderMark = line.keyword.startsWith('\ufeff') || line.keyword.startsWith('\xef\xbb\xbf');
      // The hint stays here until syntax/keyword-out-of-section words its own findings.
      report({ code: 'keyword-out-of-section', keyword: line.keyword, byteOrderMark }, line.words[0]!.span, outOfSectionHint(byteOrderMark));
      return;
    }
    if (current.keyword === 'global' && ENV_KEYWORDS.has(line.keyword)) applyEnvKeyword(reader.env, line.keyword, args.slice(1));
  }

  const last = lines[lines.length - 1];
  for (const frame of frames) {
    // Reported at the open `.if`; the finding carries the last line, where HAProxy reports it.
    report({ code: 'non-terminated-if', ifLine: frame.line.number, lastLine: lines.length, lastLineSpan: last!.span }, frame.line.words[0]!.span);
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

function outOfSectionHint(byteOrderMark: boolean): string {
  if (byteOrderMark) return 'the file starts with a UTF-8 byte order mark, which HAProxy 2.6 reads as part of the first word: save the file without BOM';
  return `put it inside a section (e.g. after 'global'), or fix the section keyword above it`;
}
