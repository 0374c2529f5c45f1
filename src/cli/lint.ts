/** hpm-lint's command line: argument parsing and exit codes only; the work is src/lint/command.ts. */
import { existsSync } from 'node:fs';
import { EXIT_USAGE, STDIN_OPERAND, configPathsOf, parseArguments, warnDeprecated, commandLine } from './arguments.js';
import { rewriteLegacyArguments } from './legacy.js';
import { colorLevelFor } from '../color-level.js';
import { runLint, type LintRequest } from '../lint/command.js';
import { FORMATS, type FormatName } from '../lint/formatters/index.js';

export async function main(argv: string[]): Promise<number> {
  // Until 0.1, -f was --format and -c was --config: kept for one release, with a warning.
  const rewritten = rewriteLegacyArguments(
    argv,
    [
      { flag: '-f', replacement: '--format', isOldMeaning: (v) => (FORMATS as readonly string[]).includes(v) && !existsSync(v), reason: '-f now names a configuration file, as in HAProxy' },
      { flag: '-c', replacement: '--config', isOldMeaning: (v) => /\.json$|(^|\/)\.hpmrc$/.test(v), reason: '-c now means check, as in HAProxy' },
    ],
    warnDeprecated('hpm-lint'),
  );
  const parser = commandLine(rewritten, (yargs) =>
      yargs
      .scriptName('hpm-lint')
      .usage(
        '$0 [options] [-f] <file|dir|->...\n\nLints haproxy.cfg files, as HAProxy and hpm-run read them. The files given are one configuration, in order, ' +
          'like haproxy -f a -f b (--each-file: each its own); a directory stands for its *.cfg files in C order; - reads standard input.',
      )
      .option('file', { alias: 'f', type: 'string', describe: 'configuration file or directory (repeatable; same as an operand)' })
      .option('check', { alias: 'c', type: 'boolean', describe: 'check only, never write (the default; refuses --fix)' })
      .option('format', { choices: FORMATS as unknown as string[], default: 'stylish', describe: 'output format' })
      .option('haproxy-version', { type: 'string', describe: 'HAProxy version X.Y or X.Y.Z to check against (default: the rules of every version with program, 2.0-3.2, and 3.2 for keywords and .if version_*)' })
      .option('master-worker', { alias: 'W', type: 'boolean', describe: "HAProxy runs with -W (master-worker mode)" })
      .option('host-checks', { type: 'boolean', describe: 'check commands against this host (PATH); --no-host-checks to skip' })
      .option('passwd', { type: 'string', describe: 'passwd(5) file for user names instead of the host database' })
      .option('group', { type: 'string', describe: 'group(5) file for group names instead of the host database' })
      // Not `array: true`: that would swallow the file names after the flag. Repeat the flag instead.
      .option('define', { alias: 'D', type: 'string', describe: 'NAME[=VALUE] for .if defined()/"$NAME" (repeatable)' })
      .option('env', { type: 'string', describe: 'NAME=VALUE of the environment HAProxy runs with (repeatable); judges "$NAME" without host checks' })
      .option('env-file', { type: 'string', describe: 'file of NAME=VALUE lines: the environment HAProxy runs with' })
      .option('rule', { type: 'string', describe: '<id>=off|warn|error (repeatable)' })
      .option('max-warnings', { type: 'number', describe: 'exit 1 when there are more warnings than this' })
      .option('fix', { type: 'boolean', default: false, describe: 'apply safe fixes in place' })
      .option('stdin', { type: 'boolean', default: false, describe: 'read the configuration from standard input (same as -)' })
      .option('stdin-filename', { type: 'string', describe: 'file name for --stdin (messages, config lookup)' })
      .option('config', { type: 'string', describe: 'use this config file instead of the nearest .hpmrc.json / hpm.config.json' })
      .option('each-file', { type: 'boolean', describe: 'lint each argument as its own configuration (default: all together, like haproxy -f a -f b)' })
      .option('view', { choices: ['both', 'haproxy', 'hpm-run'], default: 'both', describe: 'which reader to check' }));
  const parsed = await parseArguments(parser, 'hpm-lint');
  if ('exitCode' in parsed) return parsed.exitCode;
  const { args } = parsed;
  if (args.check && args.fix) {
    process.stderr.write('hpm-lint: -c/--check and --fix do not go together\n');
    return EXIT_USAGE;
  }
  const operands = configPathsOf(args);
  const stdin = args.stdin || operands.includes(STDIN_OPERAND);
  if (stdin && operands.some((path) => path !== STDIN_OPERAND)) {
    process.stderr.write('hpm-lint: standard input (- or --stdin) is the whole configuration: give no files with it\n');
    return EXIT_USAGE;
  }

  const request: LintRequest = {
    paths: stdin ? [] : operands,
    format: args.format as FormatName,
    defines: ([] as (string | undefined)[]).concat(args.define).filter((x): x is string => x !== undefined),
    rules: ([] as (string | undefined)[]).concat(args.rule).filter((x): x is string => x !== undefined),
    fix: args.fix,
    stdin,
    view: args.view as LintRequest['view'],
    colorLevel: colorLevelFor(process.env, process.stdout.isTTY === true),
    ...(args['haproxy-version'] !== undefined ? { haproxyVersion: args['haproxy-version'] } : {}),
    ...(args['master-worker'] !== undefined ? { masterWorker: args['master-worker'] } : {}),
    ...(args['host-checks'] !== undefined ? { hostChecks: args['host-checks'] } : {}),
    ...(args.passwd !== undefined ? { passwd: args.passwd } : {}),
    ...(args.group !== undefined ? { group: args.group } : {}),
    ...(args['max-warnings'] !== undefined ? { maxWarnings: args['max-warnings'] } : {}),
    ...(args['stdin-filename'] !== undefined ? { stdinFilename: args['stdin-filename'] } : {}),
    ...(args.config !== undefined ? { config: args.config } : {}),
    ...(args['each-file'] !== undefined ? { eachFile: args['each-file'] } : {}),
    envs: ([] as (string | undefined)[]).concat(args.env).filter((x): x is string => x !== undefined),
    ...(args['env-file'] !== undefined ? { envFile: args['env-file'] } : {}),
  };
  const run = runLint(request);
  if (run.output) process.stdout.write(run.output);
  if (run.errors) process.stderr.write(run.errors);
  return run.exitCode;
}
