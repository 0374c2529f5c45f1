/**
 * `.if` / `.elif` expressions (haproxy.md §1.10): integers, predicates, `!`, `&&` (binds tighter),
 * `||` and parentheses, evaluated left to right with short-circuit. An empty condition is false.
 */
import type { Env } from './cook.js';

export interface ConditionContext {
  env: Env;
  /** The HAProxy version the reader emulates: `2.6` (its latest patch release) or `2.6.12`. */
  haproxyVersion: string;
  /** Build features for `feature(NAME)`. */
  features: readonly string[];
}

export interface ConditionResult {
  value: boolean;
  /** HAProxy's message and the 1-based position in the expression, when it cannot be parsed. */
  error?: { message: string; position: number };
}

/** Debian 12's haproxy 2.6.12 build features (the `+` entries of `haproxy -vv`), the default for `feature()`. */
export const DEFAULT_FEATURES = [
  'ACCEPT4', 'BACKTRACE', 'CPU_AFFINITY', 'CRYPT_H', 'DL', 'EPOLL', 'GETADDRINFO', 'LIBCRYPT', 'LINUX_SPLICE', 'LINUX_TPROXY', 'LUA', 'NETFILTER', 'NS', 'OPENSSL',
  'OT', 'PCRE2', 'PCRE2_JIT', 'POLL', 'PRCTL', 'PROMEX', 'RT', 'SLZ', 'SYSTEMD', 'TFO', 'THREAD', 'THREAD_DUMP', 'TPROXY',
];

/**
 * The OpenSSL version 2.6.12 compares against: with OpenSSL 3 it reads the patch level as 0, so
 * `openssl_version_atleast(3.0.1)` is false on Debian 12 (checked with `haproxy -cc`).
 */
const OPENSSL_VERSION_SEEN = '3.0.0';

/** Compares dotted versions numerically: -1, 0 or 1. Non-numeric tails (`-dev5`) are ignored. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => parseInt(x, 10));
  const pb = b.split(/[.-]/).map((x) => parseInt(x, 10));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = Number.isNaN(pa[i]) || pa[i] === undefined ? 0 : pa[i]!;
    const y = Number.isNaN(pb[i]) || pb[i] === undefined ? 0 : pb[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * The version `.if version_atleast()/version_before()` compare against. A branch written `X.Y`
 * means its latest patch release (what people mean by "2.6"), so it is read as above every
 * `X.Y.Z`; `X.Y.Z` (what `haproxy -v` prints) is taken as it is.
 */
export function conditionVersion(version: string): string {
  return /^\d+\.\d+$/.test(version) ? `${version}.${Number.MAX_SAFE_INTEGER}` : version;
}

type Predicate = (args: string[], ctx: ConditionContext) => boolean;
const PREDICATES: Record<string, { arity: number; test: Predicate }> = {
  defined: { arity: 1, test: ([n], c) => c.env[n!] !== undefined },
  feature: { arity: 1, test: ([n], c) => c.features.includes(n!) },
  streq: { arity: 2, test: ([a, b]) => a === b },
  strneq: { arity: 2, test: ([a, b]) => a !== b },
  version_atleast: { arity: 1, test: ([v], c) => compareVersions(conditionVersion(c.haproxyVersion), v!) >= 0 },
  version_before: { arity: 1, test: ([v], c) => compareVersions(conditionVersion(c.haproxyVersion), v!) < 0 },
  // No TLS library is linked into hpm: these compare against what Debian 12's 2.6 sees.
  openssl_version_atleast: { arity: 1, test: ([v]) => compareVersions(OPENSSL_VERSION_SEEN, v!) >= 0 },
  openssl_version_before: { arity: 1, test: ([v]) => compareVersions(OPENSSL_VERSION_SEEN, v!) < 0 },
  ssllib_name_startswith: { arity: 1, test: ([s]) => 'OpenSSL'.startsWith(s!) },
};

/**
 * The parser mirrors HAProxy 2.6's cfgcond: parse the whole expression first (so a bad term is an
 * error even where `||`/`&&` would short-circuit it), then evaluate. Error texts and positions
 * follow what 2.6 prints (checked with `haproxy -cc` and `-c`): an error names the text from
 * where the failing term started, blanks before it included.
 */
type Node =
  | { kind: 'const'; value: boolean; neg: boolean }
  | { kind: 'pred'; name: string; args: string[]; neg: boolean }
  | { kind: 'paren'; expr: OrNode; neg: boolean };
/** `a && b && ...` */
type AndNode = Node[];
/** `and || and || ...` */
type OrNode = AndNode[];

class ConditionError extends Error {
  constructor(
    message: string,
    /** 0-based offset of HAProxy's error pointer in the expression. */
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Blanks skipped between tokens: HAProxy's condition parser only knows space and TAB. */
function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

/** Evaluates one joined `.if` expression. Never throws. */
export function evaluateCondition(expression: string, ctx: ConditionContext): ConditionResult {
  if (expression === '') return { value: false };
  const parser = new ExpressionParser(expression);
  try {
    const tree = parser.parseExpression(0, MAX_RECURSION);
    if (tree === undefined) throw new ConditionError(`unparsable conditional expression '${expression}'`, parser.lastText);
    let pos = parser.lastText;
    while (isBlank(expression[pos])) pos++;
    if (pos < expression.length) {
      throw new ConditionError(`unexpected character '${expression[pos]}' at the end of conditional expression '${expression}'`, pos);
    }
    return { value: evaluateOr(tree, ctx) };
  } catch (e) {
    if (e instanceof ConditionError) return { value: false, error: { message: e.message, position: e.offset + 1 } };
    throw e;
  }
}

const MAX_RECURSION = 1024;

function evaluateOr(expr: OrNode, ctx: ConditionContext): boolean {
  return expr.some((and) => and.every((term) => evaluateTerm(term, ctx)));
}

function evaluateTerm(term: Node, ctx: ConditionContext): boolean {
  let value: boolean;
  if (term.kind === 'const') value = term.value;
  else if (term.kind === 'paren') value = evaluateOr(term.expr, ctx);
  else {
    const predicate = PREDICATES[term.name]!;
    value = term.args.length >= predicate.arity ? predicate.test(term.args, ctx) : false;
  }
  return term.neg ? !value : value;
}

/** C strtol(text, &end, 0): the end offset of the number at `pos` (== pos when there is none), and its value. */
function strtol(text: string, pos: number): { end: number; value: number } {
  let i = pos;
  while (i < text.length && /[ \t\n\v\f\r]/.test(text[i]!)) i++;
  if (text[i] === '+' || text[i] === '-') i++;
  let digits: RegExp = /[0-9]/;
  let base = 10;
  if (text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X') && /[0-9a-fA-F]/.test(text[i + 2] ?? '')) {
    i += 2;
    digits = /[0-9a-fA-F]/;
    base = 16;
  } else if (text[i] === '0') {
    digits = /[0-7]/;
    base = 8;
  }
  const start = i;
  while (i < text.length && digits.test(text[i]!)) i++;
  if (i === start) return { end: pos, value: 0 };
  return { end: i, value: parseInt(text.slice(start, i), base) };
}

class ExpressionParser {
  /** Where the last successful parse stopped (HAProxy's updated `text` pointer). */
  lastText = 0;
  constructor(private readonly text: string) {}

  /** expr := and ('||' expr)? ; undefined when there is nothing to parse (HAProxy's "0"). */
  parseExpression(pos: number, depth: number): OrNode | undefined {
    if (pos >= this.text.length) return undefined;
    if (depth <= 0) throw new ConditionError(`unparsable conditional expression '${this.text.slice(pos)}'`, pos);
    const left = this.parseAnd(pos, depth - 1);
    if (left === undefined) throw new ConditionError(`unparsable conditional expression '${this.text.slice(this.lastText)}'`, this.lastText);
    let at = this.lastText;
    while (isBlank(this.text[at])) at++;
    this.lastText = at;
    if (!this.text.startsWith('||', at)) return [left];
    at += 2;
    while (isBlank(this.text[at])) at++;
    const right = this.parseExpression(at, depth - 1);
    if (right === undefined) {
      // Nothing after `||`: HAProxy's caller reports the whole expression, pointing at the `||`.
      this.lastText = this.text.lastIndexOf('||', at - 1);
      return undefined;
    }
    return [left, ...right];
  }

  /** and := term ('&&' and)? */
  private parseAnd(pos: number, depth: number): AndNode | undefined {
    if (pos >= this.text.length) return undefined;
    if (depth <= 0) throw new ConditionError(`unparsable conditional sub-expression '${this.text.slice(pos)}'`, pos);
    const left = this.parseTerm(pos, depth - 1);
    if (left === undefined) throw new ConditionError(`unparsable conditional sub-expression '${this.text.slice(pos)}'`, pos);
    let at = this.lastText;
    while (isBlank(this.text[at])) at++;
    this.lastText = at;
    if (!this.text.startsWith('&&', at)) return [left];
    const operator = at;
    at += 2;
    while (isBlank(this.text[at])) at++;
    const right = this.parseAnd(at, depth - 1);
    if (right === undefined) {
      // Nothing after `&&`: the enclosing expression reports the text from the `&&` on.
      this.lastText = operator;
      return undefined;
    }
    return [left, ...right];
  }

  private parseTerm(pos: number, depth: number): Node | undefined {
    const text = this.text;
    let i = pos;
    while (isBlank(text[i])) i++;
    if (i >= text.length) return undefined;
    const unparsable = (): never => {
      throw new ConditionError(`unparsable conditional expression '${text.slice(pos)}'`, pos);
    };
    if (depth <= 0) unparsable();
    let neg = false;
    while (text[i] === '!') {
      neg = !neg;
      do i++;
      while (isBlank(text[i]));
    }
    const number = strtol(text, i);
    if (number.end !== i) {
      this.lastText = number.end;
      return { kind: 'const', value: number.value !== 0, neg };
    }
    if (text[i] === '(') {
      do i++;
      while (isBlank(text[i]));
      const expr = this.parseExpression(i, depth - 1);
      if (expr === undefined) unparsable();
      let at = this.lastText;
      while (isBlank(text[at])) at++;
      if (text[at] !== ')') throw new ConditionError(`expected ')' after conditional expression '${text.slice(pos)}'`, pos);
      do at++;
      while (isBlank(text[at]));
      this.lastText = at;
      return { kind: 'paren', expr: expr!, neg };
    }
    let wordEnd = i;
    while (wordEnd < text.length && text[wordEnd] !== ' ' && text[wordEnd] !== '(') wordEnd++;
    const name = text.slice(i, wordEnd);
    const predicate = Object.prototype.hasOwnProperty.call(PREDICATES, name) ? PREDICATES[name] : undefined;
    if (!predicate) return unparsable();
    const parsed = this.parseArguments(wordEnd, name, predicate.arity);
    this.lastText = parsed.end;
    return { kind: 'pred', name, args: parsed.args, neg };
  }

  /** `(a,b)` right after a predicate name; no `(` means no argument. Quotes group, `,` separates. */
  private parseArguments(pos: number, name: string, arity: number): { args: string[]; end: number } {
    const text = this.text;
    const where = `in argument 1 of predicate '${name}' used in conditional expression`;
    if (text[pos] !== '(') return { args: [], end: pos };
    const args: string[] = [];
    let i = pos + 1;
    let current = '';
    let quote: string | undefined;
    for (;;) {
      if (i >= text.length) throw new ConditionError(`expected ')' ${where}`, i);
      const c = text[i]!;
      if (quote) {
        if (c === quote) quote = undefined;
        else current += c;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === ',' || c === ')') {
        args.push(current);
        current = '';
        if (c === ')') break;
        if (args.length >= arity) throw new ConditionError(`expected ')' before '${text.slice(i)}' ${where}`, i);
      } else current += c;
      i++;
    }
    if (args.length < arity) {
      throw new ConditionError(`missing arguments (got ${args.length}/${arity}), type 'string' expected in argument ${args.length} of predicate '${name}' used in conditional expression`, i);
    }
    return { args, end: i + 1 };
  }
}
