/**
 * `.if/.elif/.else/.endif` blocks and the other dot-directives (§1.10): the stack of open blocks,
 * which branch is read, and the findings HAProxy reports for them.
 */
import type { Line } from './ast.js';
import { evaluateCondition, type ConditionContext } from './conditions.js';
import type { ReportFinding } from './report.js';

const MAX_NESTED_CONDITIONS = 100;
const MESSAGE_DIRECTIVES = new Set(['.notice', '.warning', '.alert', '.diag']);

export interface ConditionFrame {
  /** taken: this branch is read; pending: no branch taken yet; done: a branch was taken; skipped: the parent is skipped. */
  state: 'taken' | 'pending' | 'done' | 'skipped';
  sawElse: boolean;
  line: Line;
  /** The branch being read is the `.if defined(HPM_RUN)` branch. */
  guardsHpmRun: boolean;
}

/** Whether every open block reads its current branch. */
export function isReading(frames: readonly ConditionFrame[]): boolean {
  return frames.every((f) => f.state === 'taken');
}

/**
 * One directive line (`line.args[0]` starts with `.`); `reading` is whether the line itself is
 * read, `section` the keyword of the section it stands in.
 */
export function readDirective(line: Line, frames: ConditionFrame[], reading: boolean, section: string | undefined, conditionContext: () => ConditionContext, report: ReportFinding): void {
  const directive = line.keyword!;
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
    if (result.error) report({ code: 'condition-error', directive, expression, error: result.error.message, position: result.error.position }, line.words[1]?.span ?? span);
    return result.value;
  };
  const extraArgument = (): boolean => {
    if (args.length <= 1) return false;
    report({ code: 'directive-extra-argument', directive, argument: args[1]! }, line.words[1]!.span);
    return true;
  };
  switch (directive) {
    case '.if': {
      // HAProxy counts the new level before checking it: the 100th nested `.if` is refused.
      if (frames.length + 1 >= MAX_NESTED_CONDITIONS) return report({ code: 'too-many-nested-if', max: MAX_NESTED_CONDITIONS }, span);
      const taken = reading ? evaluate() : false;
      const isHpmGuard = args.slice(1).join(' ').trim() === 'defined(HPM_RUN)';
      frames.push({ state: reading ? (taken ? 'taken' : 'pending') : 'skipped', sawElse: false, line, guardsHpmRun: isHpmGuard });
      return;
    }
    case '.elif': {
      if (!top) return report({ code: 'lone-directive', directive }, span);
      if (top.sawElse) return report({ code: 'directive-after-else', directive }, span);
      top.guardsHpmRun = false;
      if (top.state === 'taken') top.state = 'done';
      else if (top.state === 'pending' && evaluate()) top.state = 'taken';
      return;
    }
    case '.else': {
      if (extraArgument()) return;
      if (!top) return report({ code: 'lone-directive', directive }, span);
      if (top.sawElse) return report({ code: 'directive-after-else', directive }, span);
      top.sawElse = true;
      top.guardsHpmRun = false;
      if (top.state === 'taken') top.state = 'done';
      else if (top.state === 'pending') top.state = 'taken';
      return;
    }
    case '.endif': {
      if (extraArgument()) return;
      if (!top) return report({ code: 'lone-directive', directive }, span);
      frames.pop();
      return;
    }
  }
  if (!reading) return; // skipped blocks ignore everything but the block structure
  if (MESSAGE_DIRECTIVES.has(directive)) {
    const where = section !== undefined ? { section } : {};
    if (args.length > 2) report({ code: 'message-directive-arguments', directive, argument: args[2]!, words: args.slice(1), ...where }, line.words[2]!.span);
    else if (directive === '.alert') report({ code: 'alert-reached', directive, text: args[1] ?? '', ...where }, span);
    return;
  }
  report({ code: 'unknown-directive', directive, ...(section !== undefined ? { section } : {}) }, span);
}
