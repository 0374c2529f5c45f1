/**
 * The program model: what one reader (HAProxy, or hpm-run with HPM_RUN defined) makes of the
 * `program` sections and of the `global` settings that matter to them. Built from the active
 * view of the ASTs; it records every use of every keyword so lint rules can point at repeats.
 */
import { ENV_KEYWORDS, type ConfigFile, type Line, type Section, type Word } from '../syntax/index.js';
import { isExtensionKeyword, mergeExtension, parseExtension, type ExtensionParse, type ProgramExtensions } from './extensions.js';
import { sectionInfo } from './keywords/index.js';

/** The keywords HAProxy's `program` section knows in any version, from the keyword catalogue. */
export const PROGRAM_KEYWORDS: readonly string[] = Object.keys(sectionInfo('program')?.keywords ?? {});

export interface KeywordUse {
  line: Line;
  /** Arguments after the keyword (cooked, cut at the first empty word). */
  args: string[];
}

/** An hpm-run extension line with what its value parsed to (the rules report the failures). */
export interface ExtensionUse extends KeywordUse {
  parsed: ExtensionParse;
}

export interface ProgramSection {
  name: string;
  /** The name word as written (undefined for `program` with no name). */
  nameWord?: Word;
  header: Line;
  section: Section;
  file: string;
  /** The argv HAProxy runs: the **last** `command` wins (§2.1), so later lines override. */
  argv?: string[];
  commands: KeywordUse[];
  /** HAProxy keeps the **first** `user`/`group` and warns about the rest. */
  user?: string;
  users: KeywordUse[];
  group?: string;
  groups: KeywordUse[];
  /** `option start-on-reload` (default on); `no option start-on-reload` turns it off. */
  startOnReload: boolean;
  options: KeywordUse[];
  /** hpm-run extension keywords as read (`restart`, `stop-signal`, `reload-signal`, `env`, ...). */
  extensionUses: ExtensionUse[];
  /** Extension values that parsed; invalid ones are left at their defaults. */
  extensions: ProgramExtensions;
  /** Keyword lines HAProxy does not know in a program section. */
  unknown: KeywordUse[];
}

export interface GlobalSettings {
  /** `master-worker` in `global` (HAProxy's -W). */
  masterWorker: boolean;
  /** `master-worker no-exit-on-failure`. */
  noExitOnFailure: boolean;
  masterWorkerLines: Line[];
  /** `expose-deprecated-directives` lines (3.1/3.2 need one above the first program). */
  exposeDeprecatedLines: Line[];
  /** `setenv`/`presetenv`/`unsetenv`/`resetenv` in order: hpm-run replays them. */
  envLines: KeywordUse[];
}

export interface ConfigModel {
  files: ConfigFile[];
  programs: ProgramSection[];
  global: GlobalSettings;
}

function argsAfterKeyword(line: Line): string[] {
  const args = line.args ?? [];
  return args.slice(line.modifier ? 2 : 1);
}

/** Builds the model from the ASTs of the files of one configuration, in order. */
export function buildModel(files: readonly ConfigFile[]): ConfigModel {
  const programs: ProgramSection[] = [];
  const global: GlobalSettings = { masterWorker: false, noExitOnFailure: false, masterWorkerLines: [], exposeDeprecatedLines: [], envLines: [] };
  for (const file of files) {
    for (const section of file.sections) {
      if (section.keyword === 'program') programs.push(buildProgram(section, file.file));
      else if (section.keyword === 'global') readGlobal(section, global);
    }
  }
  return { files: [...files], programs, global };
}

function readGlobal(section: Section, global: GlobalSettings): void {
  for (const line of section.lines) {
    if (line.kind !== 'statement' || !line.args) continue;
    const args = argsAfterKeyword(line);
    switch (line.keyword) {
      case 'master-worker':
        global.masterWorker = true;
        global.masterWorkerLines.push(line);
        if (args[0] === 'no-exit-on-failure') global.noExitOnFailure = true;
        break;
      case 'expose-deprecated-directives':
        global.exposeDeprecatedLines.push(line);
        break;
      default:
        if (line.keyword && ENV_KEYWORDS.has(line.keyword)) global.envLines.push({ line, args });
    }
  }
}

function buildProgram(section: Section, file: string): ProgramSection {
  const header = section.header;
  const program: ProgramSection = {
    name: section.name ?? '',
    nameWord: header.words[header.modifier ? 2 : 1],
    header,
    section,
    file,
    commands: [],
    users: [],
    groups: [],
    startOnReload: true,
    options: [],
    extensionUses: [],
    extensions: {},
    unknown: [],
  };
  for (const line of section.lines) {
    if (line.kind !== 'statement' || !line.args || !line.keyword) continue;
    const use = { line, args: argsAfterKeyword(line) };
    switch (line.keyword) {
      case 'command':
        program.commands.push(use);
        if (use.args.length > 0) program.argv = use.args;
        break;
      case 'user':
        program.users.push(use);
        program.user ??= use.args[0];
        break;
      case 'group':
        program.groups.push(use);
        program.group ??= use.args[0];
        break;
      case 'option':
        program.options.push(use);
        if (use.args[0] === 'start-on-reload' && line.modifier !== 'default') program.startOnReload = line.modifier !== 'no';
        break;
      default:
        if (isExtensionKeyword(line.keyword)) {
          const parsed = parseExtension(line.keyword, use.args);
          program.extensionUses.push({ ...use, parsed });
          if (parsed.ok) mergeExtension(program.extensions, parsed.value);
        } else {
          program.unknown.push(use);
        }
    }
  }
  return program;
}
