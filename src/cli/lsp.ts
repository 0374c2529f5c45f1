/** hpm-lsp's command line: argument parsing only; the server is src/lsp/server.ts. */
import { parseArguments, commandLine } from './arguments.js';
import { packageVersion } from '../package-info.js';

/** Resolves when the connection ends (the editor exits or closes stdin); undefined when the server was started. */
export async function main(argv: string[]): Promise<number | undefined> {
  const parser = commandLine(argv, (yargs) =>
      yargs
      .scriptName('hpm-lsp')
      .usage('$0 [--stdio]\n\nA Language Server for haproxy.cfg over standard input and output (the editor starts it). See docs/editor.md.')
      .option('stdio', { type: 'boolean', describe: 'talk LSP over stdin/stdout (the default; accepted because clients pass it)' }));
  const parsed = await parseArguments(parser, 'hpm-lsp');
  if ('exitCode' in parsed) return parsed.exitCode;
  const { createConnection, StreamMessageReader, StreamMessageWriter } = await import('vscode-languageserver/node');
  const { startServer } = await import('../lsp/server.js');
  startServer(createConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout)), packageVersion());
  return undefined;
}
