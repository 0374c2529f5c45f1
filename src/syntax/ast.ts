/**
 * The lean AST: one node per physical line, each holding its words with exact spans, plus the
 * section and `.if` structure laid over those lines. Printing every line's pieces in order gives
 * back the input byte for byte (src/syntax/print.ts).
 */

import type { SyntaxFinding } from './findings.js';

export interface Position {
  /** 0-based offset in the file text. */
  offset: number;
  /** 1-based line. */
  line: number;
  /** 1-based column (in characters of the text). */
  column: number;
}

export interface Span {
  start: Position;
  /** Exclusive end. */
  end: Position;
}

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Stable rule id, e.g. `syntax/unmatched-quote` (see lint.md). */
  ruleId: string;
  severity: Severity;
  message: string;
  file: string;
  span: Span;
  /** A short how-to-fix, when one exists. */
  hint?: string;
  /** The parser's typed finding behind a `syntax/*` diagnostic (findings.ts); the rule words it. */
  finding?: SyntaxFinding;
}

export type FragmentKind =
  | 'bare'
  | 'escape'
  | 'single-quoted'
  | 'double-quoted'
  | 'unclosed-single-quoted'
  | 'unclosed-double-quoted';

/** One lexical piece of a word, as written. */
export interface Fragment {
  kind: FragmentKind;
  raw: string;
  span: Span;
}

export interface Word {
  /** The text exactly as written, quotes and escapes included. */
  raw: string;
  span: Span;
  fragments: Fragment[];
  /**
   * What HAProxy's tokenizer makes of this word under the parse env: usually one value; several
   * for a `"${VAR[*]}"` split; none is impossible (an empty expansion is an empty string).
   * Undefined when the word has a lexical error.
   */
  values?: string[];
}

export interface Comment {
  /** Raw text including the leading `#`. */
  raw: string;
  span: Span;
}

/** What a line is, once cooked and placed in its section. */
export type LineKind =
  | 'blank' // nothing but blanks (or a first word that cooks to empty)
  | 'comment' // only a comment
  | 'scope' // `[name]`
  | 'section' // a section keyword line (`global`, `program x`, ...)
  | 'statement' // a keyword line inside (or outside) a section
  | 'directive'; // `.if`, `.elif`, `.else`, `.endif`, `.notice`, ... or an unknown `.word`

export interface Line {
  kind: LineKind;
  /** 1-based physical line number. */
  number: number;
  /** The whole physical line, its line end included. */
  span: Span;
  /** Leading blanks as written. */
  indent: string;
  words: Word[];
  /** The blanks between words: gaps[i] sits between words[i] and words[i+1]. */
  gaps: string[];
  /** Blanks after the last word (or after the indent, when there is no word). */
  trailing: string;
  comment?: Comment;
  /** A CR (and what follows it) that ends the logical line early: never read by HAProxy. */
  crTail?: string;
  /** A NUL byte and the rest of the line: lost to HAProxy. */
  nulTail?: string;
  /** The raw `[name]...` text of a scope line. */
  scope?: string;
  /** `\n`, or `` for a last line without LF. (CRLF shows as crTail `\r` + eol `\n`.) */
  eol: string;
  /**
   * HAProxy's argv for this line: cooked words, split by `[*]`, cut at the first empty word.
   * Undefined when the line has a lexical error (HAProxy skips such a line).
   */
  args?: string[];
  /** Index into `words` of the first empty word that cut the argument list, if any. */
  emptyWordIndex?: number;
  /** `no` or `default` in front of the keyword. */
  modifier?: 'no' | 'default';
  /** The keyword (args[0] after a modifier), for statements, sections and directives. */
  keyword?: string;
  /** Whether the reader (the env this AST was built for) reads this line: false in a skipped `.if` branch. */
  active: boolean;
  /** Index in ConfigFile.sections of the section this line belongs to for this reader, if any. */
  sectionIndex?: number;
  /** Index in ConfigFile.structuralSections of the section this line belongs to by its position. */
  structuralSectionIndex?: number;
  /** Depth of `.if` nesting around this line (directives count their own level outside). */
  conditionDepth: number;
  /** True when the line stands inside at least one `.if defined(HPM_RUN)` block. */
  hpmRunGuarded: boolean;
}

export interface Section {
  /** The section keyword: `global`, `program`, `frontend` ... */
  keyword: string;
  /** The section's name (args[1]), when it has one. */
  name?: string;
  header: Line;
  /** Active lines of this section (statements, comments, blanks, directives), in order. */
  lines: Line[];
  file: string;
}

export interface ConfigFile {
  file: string;
  text: string;
  lines: Line[];
  /** Sections as this reader sees them (active headers only). */
  sections: Section[];
  /** Sections by position, whatever the `.if` state: what a formatter lays out. */
  structuralSections: Section[];
  diagnostics: Diagnostic[];
}

export interface ParseResult {
  ast: ConfigFile;
  diagnostics: Diagnostic[];
}
