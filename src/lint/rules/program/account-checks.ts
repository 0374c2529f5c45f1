/** The checks `user` and `group` share: repeats (HAProxy keeps the first) and unknown names. */
import type { ProgramSection } from '../../../model/index.js';
import type { RuleContext } from '../../types.js';
import { argumentWord, keywordWord } from '../support.js';
import { parserArguments } from './facts.js';

type Kind = 'user' | 'group';

function uses(program: ProgramSection, kind: Kind) {
  return kind === 'user' ? program.users : program.groups;
}

export function reportRepeats(context: RuleContext, kind: Kind): void {
  for (const program of context.model.programs) {
    const all = uses(program, kind);
    for (const use of all.slice(1)) {
      context.report({
        file: program.file,
        span: keywordWord(use.line)!.span,
        message: `${kind}/${kind === 'user' ? 'uid' : 'gid'} already specified. Continuing. (HAProxy keeps '${all[0]!.args[0] ?? ''}' from line ${all[0]!.line.number})`,
        hint: `keep a single '${kind}' line`,
      });
    }
  }
}

export function reportUnknown(context: RuleContext, kind: Kind): void {
  for (const program of context.model.programs) {
    const first = uses(program, kind)[0];
    if (!first) continue;
    const args = parserArguments(first.line);
    if (args.length === 0) {
      context.report({
        file: program.file,
        span: keywordWord(first.line)!.span,
        message: `'${kind}' expects a ${kind} name.`,
        hint: `${kind} <name>`,
      });
      continue;
    }
    const name = args[0]!;
    const found = kind === 'user' ? context.accounts.user(name) : context.accounts.group(name);
    if (found) continue;
    const numeric = /^\d+$/.test(name);
    context.report({
      file: program.file,
      span: (argumentWord(first.line, 0) ?? first.line.words[0]!).span,
      message: `cannot find ${kind} id for '${name}'`,
      hint: numeric
        ? `HAProxy looks ${kind}s up by name only (get${kind === 'user' ? 'pwnam' : 'grnam'}): write the name, not the id`
        : `create the ${kind} on the host, or give the production accounts with --${kind === 'user' ? 'passwd' : 'group'} FILE`,
    });
  }
}
