/**
 * hpm's Prettier 3 plugin for haproxy.cfg (`hpm-haproxy/prettier`): `prettier --plugin=hpm-haproxy/prettier`,
 * editors with Prettier support, and hpm-fmt all format through it.
 */
import type { AstPath, Doc, Options, Parser, Plugin, Printer, SupportLanguage, SupportOptions } from 'prettier';
import { doc } from 'prettier';
import { parse, type ConfigFile } from '../syntax/index.js';
import { layout, type Row } from './layout.js';
import { optionRefusal, refusal, refusingDiagnostics } from './refusal.js';
import { BOM, sourceTextFor } from './source.js';

const { hardline, literalline } = doc.builders;

export const PARSER_NAME = 'haproxy';
const AST_FORMAT = 'haproxy-ast';

/** The AST handed to Prettier: hpm's own, wrapped so that Prettier does not walk into it. */
export interface HaproxyDocument {
  type: 'haproxy-document';
  config: ConfigFile;
  /**
   * The source starts with a BOM, glued to the first word as HAProxy 2.6 reads it. Prettier
   * puts the BOM back in front of the output, so the printer leaves it out of the first line.
   */
  bomRestoredByPrettier: boolean;
  start: number;
  end: number;
}

/**
 * Which files are HAProxy configurations, by name: `haproxy.cfg`, `*haproxy*.cfg`, and `*.cfg`
 * in a directory named `haproxy` or one level below it (`/etc/haproxy/conf.d/*.cfg`). Not every
 * `*.cfg`: Python's `setup.cfg` and many others share the extension, and `prettier --write .`
 * with this plugin loaded must leave them alone. Other names: an `overrides` entry with
 * `parser: "haproxy"` (docs/format.md).
 */
export function isHaproxyConfigPath(filepath: string): boolean {
  const parts = filepath.split(/[\\/]+/).map((part) => part.toLowerCase());
  const name = parts.at(-1) ?? '';
  if (!name.endsWith('.cfg')) return false;
  if (name.includes('haproxy')) return true;
  if (name === 'setup.cfg') return false;
  return parts.at(-2) === 'haproxy' || parts.at(-3) === 'haproxy';
}

export const languages: SupportLanguage[] = [
  {
    name: 'HAProxy',
    parsers: [PARSER_NAME],
    // Prettier before isSupported (3.6) matches only these exact names.
    filenames: ['haproxy.cfg'],
    // Prettier passes { filepath }; the first releases with isSupported may pass the path itself.
    isSupported: (file: { filepath: string } | string) => isHaproxyConfigPath(typeof file === 'string' ? file : file.filepath),
    aliases: ['haproxy', 'haproxy-cfg'],
    vscodeLanguageIds: ['haproxy'],
  },
];

function parseDocument(text: string, options: Options): HaproxyDocument {
  const source = sourceTextFor(text, options.filepath);
  if (options.endOfLine === 'cr') {
    const hint = /\r(?!\n)/.test(source) ? ' (with "auto", the lone CR in this file picked "cr")' : '';
    throw optionRefusal(`endOfLine "cr" would make HAProxy read the whole file as one line (it ends lines at LF only); use "lf" or "crlf"${hint}`);
  }
  const { ast, diagnostics } = parse(source, { file: options.filepath ?? '<input>' });
  const refusing = refusingDiagnostics(diagnostics);
  if (refusing.length > 0) throw refusal(refusing);
  return { type: 'haproxy-document', config: ast, bomRestoredByPrettier: source.startsWith(BOM), start: 0, end: text.length };
}

export const parsers: Record<string, Parser<HaproxyDocument>> = {
  [PARSER_NAME]: {
    parse: parseDocument,
    astFormat: AST_FORMAT,
    locStart: (node) => node.start,
    locEnd: (node) => node.end,
  },
};

/**
 * Rows to a doc. Lines are separated by `literalline`, not `hardline`: Prettier trims blanks
 * before a hardline, and a word may end in the escape `\ `. After an empty row a hardline is
 * used, so that an embedding indentation (a code block in Markdown) leaves no blanks there.
 */
function rowsToDoc(rows: readonly Row[], unit: string): Doc {
  const parts: Doc[] = [];
  rows.forEach((row, i) => {
    if (i > 0) parts.push(rows[i - 1]!.kind === 'blank' ? hardline : literalline);
    if (row.kind === 'verbatim') parts.push(row.text);
    else if (row.kind === 'line') parts.push(row.level === 1 ? [unit, row.text] : row.text);
  });
  if (rows.length > 0) parts.push(literalline);
  return parts;
}

/** A BOM is part of line 1's first word, so line 1 is the first row, unindented: drop it there. */
function withoutLeadingBom(rows: Row[], bomRestoredByPrettier: boolean): Row[] {
  const first = rows[0];
  if (!bomRestoredByPrettier || !first || first.kind === 'blank' || !first.text.startsWith(BOM)) return rows;
  return [{ ...first, text: first.text.slice(BOM.length) }, ...rows.slice(1)];
}

function indentUnit(options: { useTabs?: boolean; tabWidth?: number }): string {
  return options.useTabs ? '\t' : ' '.repeat(options.tabWidth ?? 4);
}

export const printers: Record<string, Printer<HaproxyDocument>> = {
  [AST_FORMAT]: {
    print: (path: AstPath<HaproxyDocument>, options) => rowsToDoc(withoutLeadingBom(layout(path.node.config), path.node.bomRestoredByPrettier), indentUnit(options)),
    // The document is printed as a whole: nothing for Prettier to walk into.
    getVisitorKeys: () => [],
  },
};

/** hpm adds no options of its own: tabWidth, useTabs and endOfLine are Prettier's. */
export const options: SupportOptions = {};

/** Prettier's default tabWidth is 2; format.md's canonical unit is 4 unless configured. */
export const defaultOptions: Plugin['defaultOptions'] = { tabWidth: 4 };

const plugin: Plugin<HaproxyDocument> = { languages, parsers, printers, options, defaultOptions };
export default plugin;
