/** hpm-fmt's command line: argument parsing and exit codes only; the work is src/format/command.ts. */
import { STDIN_OPERAND, configPathsOf, parseArguments, commandLine } from './arguments.js';
import { EXIT_ERROR, runFmt, type FmtRequest } from '../format/command.js';

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function main(argv: string[]): Promise<number> {
  const parser = commandLine(argv, (yargs) =>
      yargs
      .scriptName('hpm-fmt')
      .usage(
        '$0 [options] [-f] <file|dir|->...\n\nFormats haproxy.cfg files in the canonical layout (a Prettier plugin: .prettierrc and .editorconfig apply). ' +
          'Prints the result for one file or standard input (-, or no operand when stdin is not a terminal); a directory means its *.cfg files.',
      )
      .option('file', { alias: 'f', type: 'string', describe: 'configuration file or directory to format (repeatable; same as an operand)' })
      .option('write', { alias: 'w', type: 'boolean', default: false, describe: 'rewrite the files in place (atomically)' })
      .option('check', { alias: 'c', type: 'boolean', default: false, describe: 'list the files that would change; exit 1 if any' })
      .option('stdin-filepath', { type: 'string', describe: 'name of the text read from stdin (messages, Prettier config lookup)' })
      .option('tab-width', { type: 'number', describe: 'spaces per indentation level (default 4)' })
      .option('use-tabs', { type: 'boolean', describe: 'indent with a tab' })
      .option('end-of-line', { choices: ['lf', 'crlf', 'auto'], describe: 'line ends of the output (default lf)' }));
  const parsed = await parseArguments(parser, 'hpm-fmt');
  if ('exitCode' in parsed) return parsed.exitCode;
  const { args } = parsed;
  const operands = configPathsOf(args);
  if (operands.includes(STDIN_OPERAND) && operands.length > 1) {
    process.stderr.write('hpm-fmt: - (standard input) is one text: give no files with it\n');
    return EXIT_ERROR;
  }
  const fromStdin = operands.length === 0 || operands[0] === STDIN_OPERAND;
  if (operands.length === 0 && process.stdin.isTTY) {
    // Nothing to format and nobody piping: show how to use it rather than wait for input.
    (await parser.yargs()).showHelp((text) => process.stderr.write(`${text}\n`));
    return EXIT_ERROR;
  }
  if (args.write && args.check) {
    process.stderr.write('hpm-fmt: --write and --check do not go together\n');
    return EXIT_ERROR;
  }
  const tabWidth = args['tab-width'];
  if (tabWidth !== undefined && (!Number.isInteger(tabWidth) || tabWidth < 0)) {
    process.stderr.write('hpm-fmt: --tab-width takes a whole number\n');
    return EXIT_ERROR;
  }

  const request: FmtRequest = {
    paths: fromStdin ? [] : operands,
    write: args.write,
    check: args.check,
    ...(args['stdin-filepath'] !== undefined ? { stdinFilepath: args['stdin-filepath'] } : {}),
    ...(tabWidth !== undefined ? { tabWidth } : {}),
    ...(args['use-tabs'] !== undefined ? { useTabs: args['use-tabs'] } : {}),
    ...(args['end-of-line'] !== undefined ? { endOfLine: args['end-of-line'] as FmtRequest['endOfLine'] } : {}),
  };
  return runFmt(request, {
    stdout: (data) => process.stdout.write(data),
    stderr: (text) => process.stderr.write(text),
    readStdin,
  });
}
