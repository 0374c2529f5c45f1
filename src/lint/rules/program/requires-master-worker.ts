/** Programs without master-worker mode (`master-worker` in global, or -W); also a bad `master-worker` argument. */
import { defineRule } from '../support.js';

export const rule = defineRule(
  {
    id: 'program/requires-master-worker',
    defaultSeverity: 'error',
    description: "Program sections without master-worker mode ('master-worker' in global or HAProxy's -W).",
    views: ['haproxy'],
  },
  (context) => {
    for (const line of context.model.global.masterWorkerLines) {
      const argument = line.args?.[1];
      if (argument !== undefined && (argument !== 'no-exit-on-failure' || (line.args?.length ?? 0) > 2)) {
        const file = context.files.find((f) => f.lines.includes(line))!;
        context.report({ file: file.file, span: line.words[1]!.span, message: "'master-worker' only supports 'no-exit-on-failure' option.", hint: "write 'master-worker' or 'master-worker no-exit-on-failure'" });
      }
    }
    const first = context.model.programs[0];
    if (!first || context.masterWorker || context.model.global.masterWorker) return;
    context.report({
      file: first.file,
      span: first.header.words[0]!.span,
      message: "Can't use a 'program' section without master worker mode.",
      hint: "add 'master-worker' to the global section, or lint with --master-worker if HAProxy runs with -W",
    });
  },
);
