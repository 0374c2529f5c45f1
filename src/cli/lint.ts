/** hpm-lint's command line: argument parsing and exit codes only; the work is src/lint/command.ts. */
import yargs from 'yargs';
import { parseArguments } from './arguments.js';
import { colorLevelFor, runLint, type LintRequest } from '../lint/command.js';
import { FORMATS, type FormatName } from '../lint/formatters/index.js';

export async function main(argv: string[]): Promise<number> {
  const parser = yargs(argv)
    .scriptName('hpm-lint')
    .usage('$0 [options] <file|dir>...\n\nLints haproxy.cfg files, as HAProxy and hpm-run read them. A directory is one configuration (its *.cfg in C order).')
    .option('format', { alias: 'f', choices: FORMATS as unknown as string[], default: 'stylish', describe: 'output format' })
    .option('haproxy-version', { type: 'string', describe: 'HAProxy version X.Y to check against (default: every version with program, 2.0-3.2)' })
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
    .option('stdin', { type: 'boolean', default: false, describe: 'read the configuration from standard input' })
    .option('stdin-filename', { type: 'string', describe: 'file name for --stdin (messages, config lookup)' })
    .option('config', { alias: 'c', type: 'string', describe: 'use this config file instead of the nearest .hpmrc.json / hpm.config.json' })
    .option('each-file', { type: 'boolean', describe: 'lint each argument as its own configuration (default: all together, like haproxy -f a -f b)' })
    .option('view', { choices: ['both', 'haproxy', 'hpm-run'], default: 'both', describe: 'which reader to check' });
  const parsed = await parseArguments(parser, 'hpm-lint');
  if ('exitCode' in parsed) return parsed.exitCode;
  const { args } = parsed;

  const request: LintRequest = {
    paths: args._.map(String),
    format: args.format as FormatName,
    defines: ([] as (string | undefined)[]).concat(args.define).filter((x): x is string => x !== undefined),
    rules: ([] as (string | undefined)[]).concat(args.rule).filter((x): x is string => x !== undefined),
    fix: args.fix,
    stdin: args.stdin,
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
