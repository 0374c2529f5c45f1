/** `after <name>` where no program section has that name (and it is not `haproxy`, the --haproxy child). */
import { HAPROXY_DEPENDENCY } from '../../../model/index.js';
import { defineRule } from '../support.js';

export const rule = defineRule(
  { id: 'hpm/unknown-after-program', defaultSeverity: 'error', description: "An 'after' that names no program of the configuration.", versions: { from: '2.0' }, views: ['hpm-run'] },
  (context) => {
    const names = new Set(context.model.programs.map((p) => p.name));
    for (const program of context.model.programs) {
      for (const use of program.extensionUses) {
        if (use.line.keyword !== 'after') continue;
        use.line.words.slice(1).forEach((word, i) => {
          const name = use.args[i];
          if (name === undefined || names.has(name) || name === HAPROXY_DEPENDENCY) return;
          context.report({
            file: program.file,
            span: word.span,
            message: `no program named '${name}'`,
            hint: `name a program section of this configuration, or '${HAPROXY_DEPENDENCY}' for the HAProxy child of hpm-run --haproxy`,
          });
        });
      }
    }
  },
);
