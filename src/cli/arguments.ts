/**
 * yargs the way every hpm command uses it, with one flag vocabulary (ESLint's, Prettier's and
 * HAProxy's conventions): `-h/--help`, `-v/--version`, `-f <file>` names a configuration file,
 * `-c` checks, `-` is standard input. Strict options; never exits the process itself, so a usage
 * error becomes `<name>: <message>` on stderr and exit 2.
 *
 * yargs takes ~50 ms to load, a pre-commit hook's whole budget. A command line describes its
 * options once, with yargs' own calls (`option()`, `usage()`...), and the common forms
 * (`--name value`, `--name=value`, `-x value`, `--flag`, `--no-flag`, operands) are read from that
 * description without loading yargs; yargs reads everything else (help, version, errors, `--`,
 * grouped short flags, numbers as operands...) exactly as before.
 */
import type { Argv, Options } from 'yargs';
import { packageVersion } from '../package-info.js';

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

/** A command's arguments and how its options are declared (yargs calls, replayed on yargs when needed). */
export interface CommandLine<T> {
  readonly argv: readonly string[];
  readonly define: (parser: Argv) => Argv<T>;
  /** The yargs parser for these arguments (loads yargs): for help text and the rare forms. */
  yargs(): Promise<Argv<T>>;
}

export function commandLine<T>(argv: readonly string[], define: (parser: Argv) => Argv<T>): CommandLine<T> {
  let parser: Argv<T> | undefined;
  return {
    argv,
    define,
    async yargs() {
      const { default: yargs } = await import('yargs');
      return (parser ??= define(yargs([...argv])));
    },
  };
}

/** The parsed arguments, or the exit code when there is nothing to run (usage error, --help, --version). */
export async function parseArguments<T>(command: CommandLine<T>, name: string): Promise<{ args: ParsedArguments<T> } | { exitCode: number }> {
  const quick = readCommonForms(command, name);
  if (quick !== undefined) return { args: quick as ParsedArguments<T> };

  const parser = await command.yargs();
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

/** What the quick reader understands of an option; any other key sends the command line to yargs. */
const KNOWN_OPTION_KEYS = new Set(['alias', 'type', 'default', 'choices', 'describe', 'description', 'desc', 'hidden']);
/** Declaration calls that only shape the help text. */
const TEXT_ONLY_CALLS = new Set(['scriptName', 'usage', 'example', 'epilog', 'epilogue', 'wrap']);

interface Declared {
  key: string;
  names: string[];
  type: 'string' | 'boolean' | 'number';
  choices?: readonly unknown[];
  default?: unknown;
  hasDefault: boolean;
}

/** The options a `define` function declares, or undefined when it uses anything but plain options. */
function declaredOptions(define: (parser: Argv) => unknown): Declared[] | undefined {
  const declared: Declared[] = [];
  let plain = true;
  const recorder: object = new Proxy(
    {},
    {
      get: (_target, call) => (...callArgs: unknown[]) => {
        if (call === 'option' && typeof callArgs[0] === 'string' && typeof callArgs[1] === 'object' && callArgs[1] !== null) {
          const spec = callArgs[1] as Options;
          const type = spec.type ?? (spec.choices ? 'string' : undefined);
          if (Object.keys(spec).some((k) => !KNOWN_OPTION_KEYS.has(k)) || (type !== 'string' && type !== 'boolean' && type !== 'number')) plain = false;
          else {
            const aliases = spec.alias === undefined ? [] : ([] as string[]).concat(spec.alias);
            declared.push({ key: callArgs[0], names: [callArgs[0], ...aliases], type, ...(spec.choices ? { choices: [spec.choices].flat() } : {}), default: spec.default, hasDefault: 'default' in spec });
          }
        } else if (typeof call !== 'string' || !TEXT_ONLY_CALLS.has(call)) {
          plain = false;
        }
        return recorder;
      },
    },
  );
  define(recorder as Argv);
  return plain ? declared : undefined;
}

function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** A word yargs would turn into a number, or read as a flag: left to yargs. */
const NUMBER_LIKE = /^[-+]?(?:\d|\.\d|0x)/i;

/**
 * The arguments as yargs would give them, for command lines made only of the common forms;
 * undefined for anything else (yargs then reads them, errors and help included).
 * Exported for the test that holds it to yargs.
 */
export function readCommonForms<T>(command: CommandLine<T>, name: string): Record<string, unknown> | undefined {
  const declared = declaredOptions(command.define);
  if (declared === undefined) return undefined;
  const byName = new Map<string, Declared>();
  for (const option of declared) for (const n of option.names) byName.set(n, option);
  // The options parseArguments adds: always yargs' business.
  for (const n of ['help', 'h', 'version', 'v']) byName.delete(n);

  const values = new Map<Declared, unknown>();
  const operands: string[] = [];
  const argv = command.argv;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === STDIN_OPERAND || !arg.startsWith('-')) {
      if (NUMBER_LIKE.test(arg)) return undefined;
      operands.push(arg);
      continue;
    }
    let flag: string;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      flag = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      if (eq >= 0) inline = arg.slice(eq + 1);
      if (flag.length < 2) return undefined; // `--`, `--x`: yargs' reading
    } else {
      if (arg.length !== 2) return undefined; // grouped short flags, -fvalue, negative numbers
      flag = arg.slice(1);
    }
    let option = byName.get(flag);
    let value: unknown;
    if (option === undefined && flag.startsWith('no-') && inline === undefined) {
      option = byName.get(flag.slice(3));
      if (option === undefined || option.type !== 'boolean' || !arg.startsWith('--')) return undefined;
      value = false;
    } else if (option === undefined) {
      return undefined;
    } else if (option.type === 'boolean') {
      if (inline !== undefined) return undefined;
      const next = argv[i + 1];
      if (next === 'true' || next === 'false') return undefined;
      value = true;
    } else {
      let text = inline;
      if (text === undefined) {
        const next = argv[i + 1];
        if (next === undefined || next.startsWith('-')) return undefined;
        text = next;
        i++;
      }
      if (option.type === 'number') {
        if (!/^-?\d+(\.\d+)?$/.test(text)) return undefined;
        value = Number(text);
      } else {
        value = text;
      }
      if (option.choices && !option.choices.includes(value)) return undefined;
    }
    if (values.has(option)) {
      // yargs gathers a repeated option into an array; only strings are left here to repeat.
      if (option.type !== 'string') return undefined;
      value = ([] as unknown[]).concat(values.get(option), value);
    }
    values.set(option, value);
  }

  const args: Record<string, unknown> = { _: operands, $0: name };
  for (const option of declared) {
    const value = values.has(option) ? values.get(option) : option.default;
    if (!values.has(option) && !option.hasDefault) continue;
    for (const n of option.names) {
      args[n] = value;
      if (n.includes('-')) args[camelCase(n)] = value;
    }
  }
  return args;
}
