/**
 * `.if` / `.elif` expressions (haproxy.md §1.10): integers, predicates, `!`, `&&` (binds tighter),
 * `||` and parentheses, evaluated left to right with short-circuit. An empty condition is false.
 */
import type { Env } from './cook.js';

export interface ConditionContext {
  env: Env;
  /** The HAProxy version the reader emulates, e.g. `2.6`. */
  haproxyVersion: string;
  /** Build features for `feature(NAME)`. */
  features: readonly string[];
}

export interface ConditionResult {
  value: boolean;
  /** HAProxy's message and the 1-based position in the expression, when it cannot be parsed. */
  error?: { message: string; position: number };
}

/** Debian 12's haproxy 2.6 build features, the default for `feature()`. */
export const DEFAULT_FEATURES = ['EPOLL', 'OPENSSL', 'LUA', 'PCRE2', 'PCRE2_JIT', 'ZLIB', 'SYSTEMD', 'PROMEX', 'TPROXY', 'THREAD', 'NS', 'GETADDRINFO', 'LINUX_SPLICE', 'CPU_AFFINITY'];

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

type Predicate = (args: string[], ctx: ConditionContext) => boolean;
const PREDICATES: Record<string, { arity: number; test: Predicate }> = {
  defined: { arity: 1, test: ([n], c) => c.env[n!] !== undefined },
  feature: { arity: 1, test: ([n], c) => c.features.includes(n!) },
  streq: { arity: 2, test: ([a, b]) => a === b },
  strneq: { arity: 2, test: ([a, b]) => a !== b },
  version_atleast: { arity: 1, test: ([v], c) => compareVersions(c.haproxyVersion, v!) >= 0 },
  version_before: { arity: 1, test: ([v], c) => compareVersions(c.haproxyVersion, v!) < 0 },
  // No TLS library is linked into hpm: these predicates compare against Debian 12's OpenSSL 3.0.
  openssl_version_atleast: { arity: 1, test: ([v]) => compareVersions('3.0.11', v!) >= 0 },
  openssl_version_before: { arity: 1, test: ([v]) => compareVersions('3.0.11', v!) < 0 },
  ssllib_name_startswith: { arity: 1, test: ([s]) => 'OpenSSL'.startsWith(s!) },
};

class ConditionError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

/** Evaluates one joined `.if` expression. Never throws. */
export function evaluateCondition(expression: string, ctx: ConditionContext): ConditionResult {
  const parser = new ExpressionParser(expression, ctx);
  try {
    return { value: parser.parse() };
  } catch (e) {
    if (e instanceof ConditionError) return { value: false, error: { message: e.message, position: e.position } };
    throw e;
  }
}

class ExpressionParser {
  private pos = 0;
  constructor(
    private readonly text: string,
    private readonly ctx: ConditionContext,
  ) {}

  parse(): boolean {
    this.skipSpaces();
    if (this.pos >= this.text.length) return false;
    const value = this.parseOr(true);
    this.skipSpaces();
    if (this.pos < this.text.length) {
      throw new ConditionError(
        `unexpected character '${this.text[this.pos]}' at the end of conditional expression '${this.text}'`,
        this.pos + 1,
      );
    }
    return value;
  }

  private skipSpaces(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  private parseOr(evaluate: boolean): boolean {
    let value = this.parseAnd(evaluate);
    for (;;) {
      this.skipSpaces();
      if (!this.text.startsWith('||', this.pos)) return value;
      this.pos += 2;
      const right = this.parseAnd(evaluate && !value);
      value = value || right;
    }
  }

  private parseAnd(evaluate: boolean): boolean {
    let value = this.parseTerm(evaluate);
    for (;;) {
      this.skipSpaces();
      if (!this.text.startsWith('&&', this.pos)) return value;
      this.pos += 2;
      const right = this.parseTerm(evaluate && value);
      value = value && right;
    }
  }

  private unparsable(from: number): never {
    throw new ConditionError(`unparsable conditional expression '${this.text.slice(from)}'`, from + 1);
  }

  private parseTerm(evaluate: boolean): boolean {
    this.skipSpaces();
    const start = this.pos;
    if (this.text[this.pos] === '!') {
      this.pos++;
      return !this.parseTerm(evaluate);
    }
    if (this.text[this.pos] === '(') {
      this.pos++;
      const value = this.parseOr(evaluate);
      this.skipSpaces();
      if (this.text[this.pos] !== ')') this.unparsable(start);
      this.pos++;
      return value;
    }
    const number = /^[-+]?(0[xX][0-9a-fA-F]+|[0-9]+)/.exec(this.text.slice(this.pos));
    if (number) {
      this.pos += number[0].length;
      return parseInt(number[0], number[1]!.toLowerCase().startsWith('0x') ? 16 : number[1]!.startsWith('0') ? 8 : 10) !== 0;
    }
    const name = /^[a-z_][a-z0-9_]*/.exec(this.text.slice(this.pos));
    const predicate = name ? PREDICATES[name[0]] : undefined;
    if (!name || !predicate || this.text[this.pos + name[0].length] !== '(') this.unparsable(start);
    this.pos += name[0].length + 1;
    const args = this.parseArguments(start);
    if (args.length !== predicate.arity) this.unparsable(start);
    return evaluate ? predicate.test(args, this.ctx) : false;
  }

  /** Comma-separated arguments up to `)`, with quotes and backslashes as in make_arg_list(). */
  private parseArguments(termStart: number): string[] {
    const args: string[] = [];
    let current = '';
    let quote: string | undefined;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (quote) {
        if (c === quote) quote = undefined;
        else if (c === '\\' && this.pos + 1 < this.text.length) current += this.text[++this.pos];
        else current += c;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '\\' && this.pos + 1 < this.text.length) current += this.text[++this.pos];
      else if (c === ',') {
        args.push(current);
        current = '';
      } else if (c === ')') {
        this.pos++;
        args.push(current);
        return args.length === 1 && args[0] === '' ? [] : args;
      } else current += c;
      this.pos++;
    }
    return this.unparsable(termStart);
  }
}
