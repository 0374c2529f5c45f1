/**
 * Shell syntax in `command`: there is no shell, so `|`, `&&`, `;`, redirections, `$(...)`,
 * backticks and unquoted `$VAR` reach the program as plain arguments. Every word with shell
 * syntax is reported, not only the first: each one is a separate surprise.
 */
import { defineRule } from '../support.js';

const SHELL_IN_BARE_TEXT = /\|\|?|&&|;|>>?|<|`|\$\(|\$\{|\$[A-Za-z_]/;

export const rule = defineRule(
  { id: 'program/shell-syntax', defaultSeverity: 'warning', description: "Shell syntax in 'command', which runs without a shell.", versions: { from: '2.0' } },
  (context) => {
    for (const program of context.model.programs) {
      for (const use of program.commands) {
        for (const word of use.line.words.slice(1)) {
          const fragment = word.fragments.find((f) => (f.kind === 'bare' && SHELL_IN_BARE_TEXT.test(f.raw)) || (f.kind === 'double-quoted' && f.raw.includes('`')));
          if (!fragment) continue;
          const what = /\$[A-Za-z_{]/.test(fragment.raw) && fragment.kind === 'bare' ? `'${fragment.raw}' is not expanded outside double quotes` : `'${word.raw}' is shell syntax`;
          context.report({
            file: program.file,
            span: word.span,
            message: `${what}: 'command' runs the program directly, without a shell, so it gets '${word.raw}' as a plain argument`,
            hint: `use a shell explicitly: command sh -c '${use.line.words.slice(1).map((w) => w.raw).join(' ').replace(/'/g, `'\\''`)}'${/\$[A-Za-z_{]/.test(fragment.raw) ? ', or write "${NAME}" to let HAProxy expand it' : ''}`,
          });
        }
      }
    }
  },
);
