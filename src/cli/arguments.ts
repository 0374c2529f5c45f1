/**
 * yargs the way every hpm command uses it: strict options, `--help`, no `--version`, and never
 * exiting the process itself, so a usage error becomes `<name>: <message>` on stderr and exit 2.
 */
import type { Argv } from 'yargs';

export type ParsedArguments<T> = Awaited<ReturnType<Argv<T>["parseAsync"]>>;

/** The parsed arguments, or the exit code when there is nothing to run (usage error, --help). */
export async function parseArguments<T>(parser: Argv<T>, name: string): Promise<{ args: ParsedArguments<T> } | { exitCode: number }> {
  let usageError: string | undefined;
  parser
    .strictOptions()
    .help()
    .version(false)
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
    return { exitCode: 2 };
  }
  if ((args as { help?: unknown }).help) return { exitCode: 0 };
  return { args };
}
