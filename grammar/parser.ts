/**
 * The Chevrotain CstParser for haproxy.cfg. The grammar is line-shaped, like HAProxy's reader:
 *
 *   file      := line*
 *   line      := Newline | lineBody Newline?
 *   lineBody  := Blank lineRest? | lineRest
 *   lineRest  := ScopeLine | lineEnd | word (Blank word)* Blank? lineEnd?
 *   word      := (BareText | Escape | DoubleQuoted | SingleQuoted | Unclosed...)+
 *   lineEnd   := Comment | CarriageReturnTail | NulTail
 *
 * It accepts every token stream the lexer can produce, so the CST always covers the whole input.
 * Sections, directives and statements are decided later (src/syntax/build.ts), because what a
 * line *is* depends on its cooked first word and on `.if` evaluation, not on its tokens alone.
 */
import { CstParser, type CstNode, type IToken } from 'chevrotain';
import {
  allTokens,
  Blank,
  BareText,
  CarriageReturnTail,
  Comment,
  DoubleQuoted,
  Escape,
  Newline,
  NulTail,
  ScopeLine,
  SingleQuoted,
  UnclosedDoubleQuoted,
  UnclosedSingleQuoted,
  haproxyLexer,
} from './lexer.js';

class HaproxyCfgParser extends CstParser {
  constructor() {
    super(allTokens, { recoveryEnabled: false, maxLookahead: 2, nodeLocationTracking: 'none' });
    this.performSelfAnalysis();
  }

  public file = this.RULE('file', () => {
    this.MANY(() => this.SUBRULE(this.line));
  });

  private line = this.RULE('line', () => {
    this.OR([
      { ALT: () => this.CONSUME(Newline) },
      {
        ALT: () => {
          this.SUBRULE(this.lineBody);
          this.OPTION(() => this.CONSUME2(Newline));
        },
      },
    ]);
  });

  private lineBody = this.RULE('lineBody', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Blank, { LABEL: 'indent' });
          this.OPTION(() => this.SUBRULE(this.lineRest));
        },
      },
      { ALT: () => this.SUBRULE2(this.lineRest) },
    ]);
  });

  private lineRest = this.RULE('lineRest', () => {
    this.OR([
      { ALT: () => this.CONSUME(ScopeLine) },
      { ALT: () => this.SUBRULE(this.lineEnd) },
      {
        ALT: () => {
          this.SUBRULE(this.word);
          // LL(2): a blank followed by a word piece separates two words; otherwise it trails.
          this.MANY(() => {
            this.CONSUME(Blank, { LABEL: 'gap' });
            this.SUBRULE2(this.word);
          });
          this.OPTION(() => this.CONSUME2(Blank, { LABEL: 'trailing' }));
          this.OPTION2(() => this.SUBRULE2(this.lineEnd));
        },
      },
    ]);
  });

  private word = this.RULE('word', () => {
    this.AT_LEAST_ONE(() =>
      this.OR([
        { ALT: () => this.CONSUME(BareText, { LABEL: 'piece' }) },
        { ALT: () => this.CONSUME(Escape, { LABEL: 'piece' }) },
        { ALT: () => this.CONSUME(DoubleQuoted, { LABEL: 'piece' }) },
        { ALT: () => this.CONSUME(SingleQuoted, { LABEL: 'piece' }) },
        { ALT: () => this.CONSUME(UnclosedDoubleQuoted, { LABEL: 'piece' }) },
        { ALT: () => this.CONSUME(UnclosedSingleQuoted, { LABEL: 'piece' }) },
      ]),
    );
  });

  private lineEnd = this.RULE('lineEnd', () => {
    this.OR([
      { ALT: () => this.CONSUME(Comment) },
      { ALT: () => this.CONSUME(CarriageReturnTail) },
      { ALT: () => this.CONSUME(NulTail) },
    ]);
  });
}

/** One parser instance is reused: Chevrotain's self-analysis is the expensive part. */
const parser = new HaproxyCfgParser();

export interface CstResult {
  cst: CstNode;
  tokens: IToken[];
  /** Chevrotain's own errors; empty for any input, kept so a grammar bug can never go unseen. */
  errors: string[];
}

/**
 * Lex and parse a whole file into a lossless CST. Never throws on any input text. Tokens carry
 * offsets only (no line/column: the AST builder knows them from the line it is in).
 */
export function parseCst(text: string): CstResult {
  const lexed = haproxyLexer.tokenize(text);
  parser.input = lexed.tokens;
  const cst = parser.file();
  const errors = [
    ...lexed.errors.map((e) => `lexer: ${e.message} at offset ${e.offset}`),
    ...parser.errors.map((e) => `parser: ${e.message}`),
  ];
  return { cst, tokens: lexed.tokens, errors };
}

/** Lines per chunk in parseCstChunks: big enough to amortise the calls, small enough to stay in the young GC generation. */
const CHUNK_LINES = 64;

/**
 * The same CST as parseCst(), delivered a chunk of whole lines at a time so that tokens and CST
 * nodes of a large file never all live at once (peak memory) and die young (GC time). The grammar
 * is line-shaped and no token spans an LF except Newline, so cutting after an LF changes nothing.
 * `visit` gets the chunk's `line` nodes and the offset of the chunk in `text` (token offsets are
 * relative to the chunk).
 */
export function parseCstChunks(text: string, visit: (lines: CstNode[], chunkOffset: number, errors: string[]) => void): void {
  let start = 0;
  while (start < text.length) {
    let end = start;
    for (let n = 0; n < CHUNK_LINES && end < text.length; n++) {
      const lf = text.indexOf('\n', end);
      end = lf < 0 ? text.length : lf + 1;
    }
    const { cst, errors } = parseCst(start === 0 && end === text.length ? text : text.slice(start, end));
    visit((cst.children['line'] as CstNode[] | undefined) ?? [], start, errors);
    start = end;
  }
}

export const cstVisitorBase = parser.getBaseCstVisitorConstructorWithDefaults();
