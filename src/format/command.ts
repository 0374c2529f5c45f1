/**
 * What hpm-fmt does, apart from reading its arguments: find the files, resolve each one's
 * Prettier options, format, and then print, check or rewrite (atomically). Broken or unreadable
 * files are never written; they make the exit code 2.
 */
import { readFileSync } from 'node:fs';
import * as prettier from 'prettier';
import { decodeConfigBytes, encodeConfigText, expandConfigPaths, type TextEncodingName } from '../model/load.js';
import { writeFileAtomically } from '../model/write.js';
import { formatConfigText, type FormatOptions } from './format.js';

export interface FmtRequest {
  /** Files and directories (a directory means its *.cfg files); none: read stdin. */
  paths: string[];
  write: boolean;
  check: boolean;
  /** Name used for stdin in messages and to find a Prettier config. */
  stdinFilepath?: string;
  tabWidth?: number;
  useTabs?: boolean;
  endOfLine?: 'lf' | 'crlf' | 'auto';
}

export interface FmtIO {
  stdout: (data: string | Uint8Array) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<Buffer>;
}

export const EXIT_OK = 0;
export const EXIT_WOULD_CHANGE = 1;
export const EXIT_ERROR = 2;

interface Source {
  /** The path shown in messages (as given). */
  name: string;
  /** The file on disk, when there is one. */
  path?: string;
  text: string;
  encoding: TextEncodingName;
}

async function resolveOptions(request: FmtRequest, configFor: string | undefined): Promise<FormatOptions> {
  const fromConfig = configFor ? ((await prettier.resolveConfig(configFor, { editorconfig: true })) ?? {}) : {};
  const options: FormatOptions = { prettierOptions: fromConfig };
  if (configFor) options.filepath = configFor;
  if (request.tabWidth !== undefined) options.tabWidth = request.tabWidth;
  if (request.useTabs !== undefined) options.useTabs = request.useTabs;
  if (request.endOfLine !== undefined) options.endOfLine = request.endOfLine;
  return options;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`;

/** The last line of --check, as Prettier ends its own (on stderr: stdout lists the files). */
function checkSummary(changed: number, broken: number): string {
  const parts: string[] = [];
  if (changed > 0) parts.push(`Code style issues found in ${files(changed)}. Run hpm-fmt --write to fix.`);
  if (broken > 0) parts.push(`Error occurred when checking code style in ${files(broken)}.`);
  return parts.length > 0 ? parts.join(' ') : 'All matched files use hpm-fmt code style!';
}

export async function runFmt(request: FmtRequest, io: FmtIO): Promise<number> {
  await prettier.clearConfigCache(); // each run sees the config files as they are now
  const fromStdin = request.paths.length === 0;
  if (fromStdin && request.write) {
    io.stderr('hpm-fmt: --write needs files: standard input cannot be rewritten\n');
    return EXIT_ERROR;
  }
  let failed = false;
  const sources: Source[] = [];
  if (fromStdin) {
    const { text, encoding } = decodeConfigBytes(await io.readStdin());
    sources.push({ name: request.stdinFilepath ?? '<stdin>', text, encoding });
  } else {
    for (const given of request.paths) {
      try {
        for (const path of expandConfigPaths([given])) {
          const { text, encoding } = decodeConfigBytes(readFileSync(path));
          sources.push({ name: path, path, text, encoding });
        }
      } catch (error) {
        io.stderr(`hpm-fmt: cannot read ${given}: ${errorMessage(error)}\n`);
        failed = true;
      }
    }
  }
  if (sources.length > 1 && !request.write && !request.check) {
    io.stderr('hpm-fmt: several files: give --write to rewrite them or --check to list those that would change\n');
    return EXIT_ERROR;
  }

  let changed = 0;
  let unreadable = 0;
  for (const source of sources) {
    let formatted: string;
    try {
      const options = await resolveOptions(request, source.path ?? request.stdinFilepath);
      formatted = await formatConfigText(source.text, options);
    } catch (error) {
      io.stderr(`hpm-fmt: ${source.name}: ${errorMessage(error)}\n`);
      failed = true;
      unreadable++;
      continue;
    }
    const differs = formatted !== source.text;
    if (request.check) {
      if (differs) io.stdout(`${source.name}\n`);
      if (differs) changed++;
    } else if (request.write) {
      if (!differs || !source.path) continue;
      try {
        writeFileAtomically(source.path, encodeConfigText(formatted, source.encoding));
      } catch (error) {
        io.stderr(`hpm-fmt: cannot write ${source.name}: ${errorMessage(error)}\n`);
        failed = true;
      }
    } else {
      io.stdout(source.encoding === 'utf8' ? formatted : encodeConfigText(formatted, source.encoding));
    }
  }
  if (request.check) io.stderr(`${checkSummary(changed, unreadable)}\n`);
  if (failed) return EXIT_ERROR;
  return changed > 0 ? EXIT_WOULD_CHANGE : EXIT_OK;
}
