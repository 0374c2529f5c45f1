/** `user` without `group`: under HAProxy the program keeps gid 0 and root's supplementary groups (§2.3). */
import { argumentWord, defineRule } from '../support.js';

export const rule = defineRule(
  { id: 'program/user-without-group', defaultSeverity: 'warning', description: "'user' without 'group': under HAProxy the program keeps the master's gid (0) and its supplementary groups.", views: ['haproxy'] },
  (context) => {
    for (const program of context.model.programs) {
      const user = program.users[0];
      if (!user || program.groups.length > 0 || !program.user) continue;
      context.report({
        file: program.file,
        span: (argumentWord(user.line, 0) ?? user.line.words[0]!).span,
        message: `'user ${program.user}' without 'group': HAProxy leaves the program in group 0 (root) with root's supplementary groups`,
        hint: "add a 'group' line, usually the user's primary group (hpm-run uses that group by itself)",
      });
    }
  },
);
