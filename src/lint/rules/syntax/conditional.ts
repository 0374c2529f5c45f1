/**
 * Unbalanced or misplaced `.if/.elif/.else/.endif`, or a condition HAProxy cannot parse.
 * HAProxy charges a non-terminated `.if` to the last line of the file, so that is where it is
 * reported; the message names the line of the `.if`. Conditions that read as `HPM_RUN` but are
 * not `defined(HPM_RUN)` get a hint, and a `defined()` of an HPM_RUN look-alike (always false, for
 * HAProxy and hpm-run alike) is reported.
 */
import { haproxyMessage, type Line } from '../../../syntax/index.js';
import { parserRule } from '../support.js';

const GUARD = 'defined(HPM_RUN)';

/** `HPM_RUN`, `defined HPM_RUN`, `"$HPM_RUN"` written where `defined(HPM_RUN)` was meant. */
function meantHpmGuard(expression: string): boolean {
  return /^(?:defined\s*)?\(?\s*HPM_RUN\s*\)?$/i.test(expression.trim());
}

export const rule = parserRule(
  {
    id: 'syntax/conditional',
    defaultSeverity: 'error',
    description: "Unbalanced or misplaced '.if/.elif/.else/.endif', or a condition HAProxy cannot parse.",
  },
  (finding) => {
    switch (finding.code) {
      case 'non-terminated-if':
        if (finding.lastLine === finding.ifLine) return { message: haproxyMessage(finding), hint: "close it with '.endif'" };
        return { message: `${haproxyMessage(finding)} (opened on line ${finding.ifLine})`, hint: "close it with '.endif'", span: finding.lastLineSpan };
      case 'condition-error':
        return {
          message: haproxyMessage(finding),
          ...(meantHpmGuard(finding.expression) ? { hint: `did you mean '${finding.directive} ${GUARD}'? A bare name is not a condition` } : {}),
        };
      case 'directive-extra-argument':
        return { message: haproxyMessage(finding), hint: `'${finding.directive}' takes no argument` };
      default:
        return { message: haproxyMessage(finding) };
    }
  },
);

/** The names of `defined(...)` in a condition line, with where they stand in the line's words. */
function definedNames(line: Line): { name: string; wordIndex: number }[] {
  const out: { name: string; wordIndex: number }[] = [];
  line.words.slice(1).forEach((word, i) => {
    for (const value of word.values ?? []) for (const m of value.matchAll(/defined\(([^)]*)\)/g)) out.push({ name: m[1]!.trim(), wordIndex: i + 1 });
  });
  return out;
}

// A parseable condition can still be a mistake HAProxy accepts silently: `defined(HPM-RUN)` is
// false for HAProxy and for hpm-run (which sets HPM_RUN), so the block is read by neither.
const reportParserFindings = rule.check;
rule.check = (context) => {
  reportParserFindings(context);
  for (const file of context.files) {
    for (const line of file.lines) {
      if (line.kind !== 'directive' || (line.keyword !== '.if' && line.keyword !== '.elif')) continue;
      for (const { name, wordIndex } of definedNames(line)) {
        if (name === 'HPM_RUN' || name.replace(/-/g, '_').toUpperCase() !== 'HPM_RUN') continue;
        context.report({
          file: file.file,
          span: line.words[wordIndex]!.span,
          message: `'${name}' is not HPM_RUN: 'defined(${name})' is false for HAProxy and for hpm-run, so neither reads this block`,
          hint: `write '${GUARD}'`,
        });
      }
    }
  }
};
