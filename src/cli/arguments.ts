/**
 * yargs the way every hpm command uses it, with one flag vocabulary (ESLint's, Prettier's and
 * HAProxy's conventions): `-h/--help`, `-v/--version`, `-f <file>` names a configuration file,
 * `-c` checks, `-` is standard input. Strict options; never exits the process itself, so a usage
 * error becomes `<name>: <message>` on stderr and exit 2.
 */
import type { Argv } from 'yargs';
import { packageVersion } from './package-info.js';

export type ParsedArguments<T> = Awaited<ReturnType<Argv<T>['parseAsync']>>;

export const EXIT_USAGE = 2;

/** The standard-input operand, as in ESLint, Prettier and most Unix tools. */
export const STDIN_OPERAND = '-';

/** `-f <file>` (repeatable) and the operands, in that order, as one list of paths. */
export function configPathsOf(args: { file?: string | string[] | undefined; _: (string | number)[] }): string[] {
  return ([] as (string | undefined)[]).concat(args.file).filter((x): x is string => x !== undefined).concat(args._.map(String));
}

export function warnDeprecated(name: string): (text: string) => void {
  return (text) => process.stderr.write(`${name}: warning: ${text}\n`);
}

/** The parsed arguments, or the exit code when there is nothing to run (usage error, --help, --version). */
export async function parseArguments<T>(parser: Argv<T>, name: string): Promise<{ args: ParsedArguments<T> } | { exitCode: number }> {
  let usageError: string | undefined;
  parser
    .strictOptions()
    .help()
    .alias('help', 'h')
    .version(false)
    .option('version', { alias: 'v', type: 'boolean', describe: 'Show version number' })
    .exitProcess(false)
    .fail((message, error) => {
      usageError = message ?? error?.message ?? 'invalid arguments';
    });
  let args: ParsedArguments<T> | undefined;
  try {
    args = (await parser.parseAsync()) as ParsedArguments<T>;
  } catch (e) {
    usageError ??= (e as Error).message;
  }
  if (usageError !== undefined || args === undefined) {
    process.stderr.write(`${name}: ${usageError ?? 'invalid arguments'}\nRun ${name} --help for usage.\n`);
    return { exitCode: EXIT_USAGE };
  }
  if ((args as { help?: unknown }).help) return { exitCode: 0 };
  if ((args as { version?: unknown }).version) {
    process.stdout.write(`${packageVersion()}\n`);
    return { exitCode: 0 };
  }
  return { args };
}
