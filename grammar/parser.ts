/**
 * The Chevrotain CstParser for haproxy.cfg. parse() reads every file through it, a chunk of lines
 * at a time (grammar/line-scan.ts turns each CST line into offsets for src/syntax/build.ts).
 *
 * The grammar is line-shaped, like HAProxy's reader:
 *
 *   file   := line*
 *   line   := Newline
 *           | indent:Blank? ( ScopeLine | piece+ ( blank:Blank piece* )* )? lineEnd? Newline?
 *   piece  := BareText | Escape | DoubleQuoted | SingleQuoted | UnclosedDoubleQuoted | UnclosedSingleQuoted
 *   lineEnd:= Comment | CarriageReturnTail | NulTail
 *
 * One CST node per physical line (words are not nodes of their own: the AST builder groups the
 * `piece` tokens into words at the `blank` tokens between them, and a `blank` with no piece after
 * it is the line's trailing blank). Fewer nodes make the CST cheap to build for large files.
 *
 * It accepts every token stream the lexer can produce, so the CST always covers the whole input.
 * Sections, directives and statements are decided later (src/syntax/build.ts), because what a
 * line *is* depends on its cooked first word and on `.if` evaluation, not on its tokens alone.
 */
import type { CstNode, CstParser, IToken } from 'chevrotain';
import { chevrotain } from './chevrotain.js';
import { grammarTokens } from './lexer.js';

/** One parser instance, built on first use and reused: Chevrotain's self-analysis is the expensive part. */
let parserInstance: CstParser & { file: () => CstNode } | undefined;

function buildParser(): CstParser & { file: () => CstNode } {
  const { CstParser, EOF } = chevrotain();
  const { allTokens, Blank, BareText, CarriageReturnTail, Comment, DoubleQuoted, Escape, Newline, NulTail, ScopeLine, SingleQuoted, UnclosedDoubleQuoted, UnclosedSingleQuoted } =
    grammarTokens();
  class HaproxyCfgParser extends CstParser {
    constructor() {
      super(allTokens, { recoveryEnabled: true, maxLookahead: 1, nodeLocationTracking: 'none' });
      this.performSelfAnalysis();
    }

    public file = this.RULE('file', () => {
      // `line` may match nothing (its second alternative is all optional): stop at the end of input.
      this.MANY({ GATE: () => this.LA(1).tokenType !== EOF, DEF: () => this.SUBRULE(this.line) });
    });

    private line = this.RULE('line', () => {
      this.OR({
        // A bare Newline also fits the second alternative (all of it optional): the first one wins.
        IGNORE_AMBIGUITIES: true,
        DEF: [
          { ALT: () => this.CONSUME(Newline) },
          {
            ALT: () => {
              this.OPTION(() => this.CONSUME(Blank, { LABEL: 'indent' }));
              this.OPTION2(() =>
                this.OR2([
                  { ALT: () => this.CONSUME(ScopeLine) },
                  {
                    ALT: () => {
                      this.AT_LEAST_ONE(() => this.OR3(this.pieceAlternatives[0]!));
                      this.MANY(() => {
                        this.CONSUME2(Blank, { LABEL: 'blank' });
                        this.MANY2(() => this.OR4(this.pieceAlternatives[1]!));
                      });
                    },
                  },
                ]),
              );
              this.OPTION3(() =>
                this.OR5([
                  { ALT: () => this.CONSUME(Comment) },
                  { ALT: () => this.CONSUME(CarriageReturnTail) },
                  { ALT: () => this.CONSUME(NulTail) },
                ]),
              );
              this.OPTION4(() => this.CONSUME2(Newline));
            },
          },
        ],
      });
    });

    /** The word-piece alternatives, one array per use site (Chevrotain wants distinct CONSUME indexes), built once. */
    private pieceAlternativesCache?: Array<Array<{ ALT: () => IToken }>>;
    private get pieceAlternatives(): Array<Array<{ ALT: () => IToken }>> {
      const types = [BareText, Escape, DoubleQuoted, SingleQuoted, UnclosedDoubleQuoted, UnclosedSingleQuoted];
      return (this.pieceAlternativesCache ??= [
        types.map((t) => ({ ALT: () => this.CONSUME3(t, { LABEL: 'piece' }) })),
        types.map((t) => ({ ALT: () => this.CONSUME4(t, { LABEL: 'piece' }) })),
      ]);
    }
  }

  return new HaproxyCfgParser();
}


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
  const lexed = grammarTokens().haproxyLexer.tokenize(text);
  const parser = (parserInstance ??= buildParser());
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

