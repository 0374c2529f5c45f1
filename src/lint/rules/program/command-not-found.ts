/** (host check) argv[0] is not an executable file: not found in PATH, or a path that is missing or not executable. */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { defineRule, keywordWord } from '../support.js';

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export const rule = defineRule(
  { id: 'program/command-not-found', defaultSeverity: 'warning', description: "The program of 'command' is not found in PATH or is not executable (host check).", versions: { from: '2.0' }, hostCheck: true },
  (context) => {
    // PATH as the program will see it: the reader's env already holds global setenv & co.
    const path = context.model.global.envLines.reduce<string | undefined>((value, use) => {
      if (use.args[0] !== 'PATH') return value;
      if (use.line.keyword === 'setenv') return use.args[1];
      if (use.line.keyword === 'presetenv') return value ?? use.args[1];
      if (use.line.keyword === 'unsetenv') return undefined;
      return value;
    }, context.env['PATH']);
    for (const program of context.model.programs) {
      const use = [...program.commands].reverse().find((u) => u.args.length > 0);
      if (!use) continue;
      const command = use.args[0]!;
      const word = use.line.words[1] ?? keywordWord(use.line)!;
      if (command.includes('/')) {
        if (!isExecutableFile(command)) {
          context.report({ file: program.file, span: word.span, message: `'${command}' is not an executable file on this host`, hint: 'check the path and its permissions (chmod +x); use --no-host-checks when linting on another machine' });
        }
      } else if (!(path ?? '').split(delimiter).some((dir) => dir !== '' && isExecutableFile(join(dir, command)))) {
        context.report({ file: program.file, span: word.span, message: `'${command}' is not found in PATH on this host`, hint: 'install it, give an absolute path, or set PATH in global with setenv; use --no-host-checks when linting on another machine' });
      }
    }
  },
);
