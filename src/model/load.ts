/**
 * Reading a configuration from disk the way `haproxy -f` does: files in the order given, a
 * directory as its `*.cfg` files in C-locale order, bytes kept exact (a file that is not valid
 * UTF-8 is read as latin1 so that every byte survives a round trip).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { parseFiles, type ConfigFile, type Diagnostic, type Env, type ParseOptions, type SourceText } from '../syntax/index.js';
import { buildModel, type ConfigModel } from './programs.js';

export type TextEncodingName = 'utf8' | 'latin1';

export interface LoadedSource extends SourceText {
  encoding: TextEncodingName;
}

/** Decodes bytes: UTF-8 when valid, else latin1 (one char per byte, so nothing is lost). */
export function decodeConfigBytes(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), encoding: 'utf8' };
  } catch {
    return { text: Buffer.from(bytes).toString('latin1'), encoding: 'latin1' };
  }
}

export function encodeConfigText(text: string, encoding: TextEncodingName): Buffer {
  return Buffer.from(text, encoding);
}

/** `a < b` in the C locale: by UTF-16 code unit, which matches bytes for ASCII names. */
function cLocaleCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Expands `-f` arguments: a directory gives its `*.cfg` files, sorted as HAProxy sorts them. */
export function expandConfigPaths(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const path of paths) {
    if (statSync(path).isDirectory()) {
      // HAProxy's rule and spelling: no hidden file, the first `.cfg` ends the name, and the
      // path is `<dir>/<name>` as given (`./cf/a.cfg`, `cf//a.cfg`), which programs see in
      // HAPROXY_CFGFILES and the Data Plane API compares as a string.
      const names = readdirSync(path)
        .filter((n) => !n.startsWith('.') && n.indexOf('.cfg') === n.length - 4 && n.length > 4)
        .sort(cLocaleCompare);
      for (const name of names) {
        const full = `${path}/${name}`;
        if (statSync(full).isFile()) out.push(full);
      }
    } else {
      out.push(path);
    }
  }
  return out;
}

export function readConfigSource(path: string): LoadedSource {
  const { text, encoding } = decodeConfigBytes(readFileSync(path));
  return { file: path, text, encoding };
}

export interface LoadedConfig {
  sources: LoadedSource[];
  files: ConfigFile[];
  model: ConfigModel;
  diagnostics: Diagnostic[];
}

/** Parses sources as one configuration for one reader (env + defines) and builds the model. */
export function readConfig(sources: readonly LoadedSource[], options: Omit<ParseOptions, 'file'> & { env?: Env } = {}): LoadedConfig {
  const { files, diagnostics } = parseFiles(sources, options);
  return { sources: [...sources], files, model: buildModel(files), diagnostics };
}

/** Reads files and directories from disk (throws on unreadable paths: callers exit 2). */
export function loadConfig(paths: readonly string[], options: Omit<ParseOptions, 'file'> = {}): LoadedConfig {
  return readConfig(expandConfigPaths(paths).map(readConfigSource), options);
}
