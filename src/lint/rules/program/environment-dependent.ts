/**
 * A `"$NAME"` in a program section that this lint run cannot judge: without host checks and
 * without `--env`/`--env-file`, the environment HAProxy runs with is unknown. Reported as a
 * warning, the same on every machine, instead of a silent pass or an error that depends on the
 * linting shell.
 */
import { defineRule } from '../support.js';
import { unknownConditionNames, unknownReferences } from './environment.js';

export const rule = defineRule(
  {
    id: 'program/environment-dependent',
    defaultSeverity: 'warning',
    description: "A \"$NAME\" in a program section, or an .if on an environment variable, that depends on the environment HAProxy runs with, which this run does not know (--no-host-checks without --env).",
    versions: { from: '2.0' },
  },
  (context) => {
    if (context.environmentKnown) return;
    // Which blocks are read (a whole program section, maybe) depends on the environment too.
    for (const file of context.files) {
      for (const line of file.lines) {
        if (line.kind !== 'directive' || !line.active || (line.keyword !== '.if' && line.keyword !== '.elif')) continue;
        for (const name of unknownConditionNames(context, line.words.slice(1))) {
          context.report({
            file: file.file,
            span: line.words[0]!.span,
            message: `this '${line.keyword}' depends on '${name}' in the environment HAProxy runs with, which this run does not know`,
            hint: `give it with --env ${name}=VALUE (or --define ${name}) or --env-file FILE`,
          });
        }
      }
    }
    for (const program of context.model.programs) {
      for (const line of program.section.lines) {
        if (line.kind !== 'statement' || !line.active) continue;
        for (const word of line.words) {
          for (const reference of unknownReferences(context, word)) {
            if (reference.hasDefault) continue;
            context.report({
              file: program.file,
              span: word.span,
              message: `'${reference.name}' depends on the environment HAProxy runs with, which this run does not know`,
              hint: `give it with --env ${reference.name}=VALUE or --env-file FILE, give it a default ("\${${reference.name}-value}"), or set it in global with setenv`,
            });
          }
        }
      }
    }
  },
);
