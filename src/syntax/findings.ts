/**
 * What the parser finds, as typed codes with their data (no prose). The parser turns each into a
 * Diagnostic carrying the finding, the rule id that owns it and HAProxy's own words (what
 * hpm-fmt and hpm-run print); each `syntax/*` lint rule turns its codes into its message, hint
 * and place. No module decides anything by reading another module's message text.
 */
import type { Span } from './ast.js';

/** HAProxy's tokenizer errors (§1.7); `position` is HAProxy's 1-based byte column. */
export type TokenizerFinding =
  | { code: 'unmatched-quote'; position: number }
  | { code: 'invalid-hex-escape'; position: number }
  | { code: 'env-var-forbidden-first-char'; position: number }
  | { code: 'env-var-unmatched-brace'; position: number }
  | { code: 'env-var-invalid-word-expansion'; position: number }
  /** HAProxy 2.6 re-tokenizes a line that grew its buffer, and then misreads `${NAME-default}`. */
  | { code: 'env-var-default-reread'; position: number };

export type ConditionalFinding =
  | { code: 'condition-error'; directive: string; expression: string; error: string; position: number }
  | { code: 'directive-extra-argument'; directive: string; argument: string }
  | { code: 'too-many-nested-if'; max: number }
  | { code: 'lone-directive'; directive: string }
  | { code: 'directive-after-else'; directive: string }
  /** Reported at the open `.if`; HAProxy names the file's last line. */
  | { code: 'non-terminated-if'; ifLine: number; lastLine: number; lastLineSpan: Span };

/** `section`: the keyword of the section the directive stands in (HAProxy 3.1/3.2 treat it differently in a program section). */
export type DirectiveFinding =
  | { code: 'message-directive-arguments'; directive: string; argument: string; words: string[]; section?: string }
  | { code: 'alert-reached'; directive: string; text: string; section?: string }
  | { code: 'unknown-directive'; directive: string; section?: string };

export type ScopeFinding = { code: 'scope-empty-name' } | { code: 'scope-bad-name-char'; char: string } | { code: 'scope-text-after'; char: string };

export type LineEndFinding =
  | { code: 'stray-nul'; position: number }
  | { code: 'nul-on-last-line'; position: number }
  | { code: 'missing-final-newline'; position: number };

export type SyntaxFinding =
  | TokenizerFinding
  | ConditionalFinding
  | DirectiveFinding
  | ScopeFinding
  | LineEndFinding
  | { code: 'too-many-words'; wordCount: number; position: number; lastKept: string; trailingBlank: boolean }
  | { code: 'keyword-out-of-section'; keyword: string; byteOrderMark: boolean }
  | { code: 'internal-grammar-error'; error: string };

export type SyntaxCode = SyntaxFinding['code'];
export type FindingOf<C extends SyntaxCode> = Extract<SyntaxFinding, { code: C }>;

/** The rule that owns each code. */
export const RULE_OF_CODE: { readonly [C in SyntaxCode]: string } = {
  'unmatched-quote': 'syntax/unmatched-quote',
  'invalid-hex-escape': 'syntax/invalid-hex-escape',
  'env-var-forbidden-first-char': 'syntax/invalid-env-var',
  'env-var-unmatched-brace': 'syntax/invalid-env-var',
  'env-var-invalid-word-expansion': 'syntax/invalid-env-var',
  'env-var-default-reread': 'syntax/invalid-env-var',
  'condition-error': 'syntax/conditional',
  'directive-extra-argument': 'syntax/conditional',
  'too-many-nested-if': 'syntax/conditional',
  'lone-directive': 'syntax/conditional',
  'directive-after-else': 'syntax/conditional',
  'non-terminated-if': 'syntax/conditional',
  'message-directive-arguments': 'syntax/unknown-directive',
  'alert-reached': 'syntax/unknown-directive',
  'unknown-directive': 'syntax/unknown-directive',
  'scope-empty-name': 'syntax/invalid-scope',
  'scope-bad-name-char': 'syntax/invalid-scope',
  'scope-text-after': 'syntax/invalid-scope',
  'stray-nul': 'syntax/nul-byte',
  'nul-on-last-line': 'syntax/nul-byte',
  'missing-final-newline': 'syntax/missing-final-newline',
  'too-many-words': 'syntax/too-many-words',
  'keyword-out-of-section': 'syntax/keyword-out-of-section',
  'internal-grammar-error': 'syntax/internal',
};

/** HAProxy's own words for a finding (haproxy.md §1.7, §1.9, §1.10), without its `parsing [file:line]:` prefix. */
export function haproxyMessage(finding: SyntaxFinding): string {
  switch (finding.code) {
    case 'unmatched-quote':
      return `unmatched quote at position ${finding.position}`;
    case 'invalid-hex-escape':
      return `truncated or invalid hexadecimal sequence at position ${finding.position}`;
    case 'env-var-forbidden-first-char':
      return `forbidden first char in environment variable name at position ${finding.position}`;
    case 'env-var-unmatched-brace':
    case 'env-var-default-reread':
      return `unmatched brace in environment variable name at position ${finding.position}`;
    case 'env-var-invalid-word-expansion':
      return `truncated or invalid word expansion sequence at position ${finding.position}`;
    case 'condition-error':
      return `${finding.error} in '${finding.directive}' at position ${finding.position}`;
    case 'directive-extra-argument':
      return `Unexpected argument '${finding.argument}' for '${finding.directive}'.`;
    case 'too-many-nested-if':
      return `too many nested '.if', max is ${finding.max}.`;
    case 'lone-directive':
      return `lone '${finding.directive}' with no matching '.if'.`;
    case 'directive-after-else':
      return `'${finding.directive}' after '.else' is not permitted.`;
    case 'non-terminated-if':
      return `non-terminated '.if' block.`;
    case 'message-directive-arguments':
      return `Unexpected argument '${finding.argument}' for '${finding.directive}'. Use quotes if the message should contain spaces.`;
    case 'alert-reached':
      return `'${finding.text}'.`;
    case 'unknown-directive':
      return `unknown directive '${finding.directive}'.`;
    case 'scope-empty-name':
      return 'empty scope name is forbidden.';
    case 'scope-bad-name-char':
      return `character '${finding.char}' is not permitted in a scope name.`;
    case 'scope-text-after':
      return `character '${finding.char}' is not permitted after scope declaration.`;
    case 'stray-nul':
      return `Stray NUL character at position ${finding.position}.`;
    case 'nul-on-last-line':
    case 'missing-final-newline':
      return `Missing LF on last line, file might have been truncated at position ${finding.position}.`;
    case 'too-many-words':
      return `too many words, truncating after word 64, position ${finding.position}: <${finding.lastKept}>.`;
    case 'keyword-out-of-section':
      return `unknown keyword '${finding.keyword}' out of section.`;
    case 'internal-grammar-error':
      return `internal grammar error: ${finding.error}`;
  }
}
