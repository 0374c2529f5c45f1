/**
 * The project configuration file, found by walking up from the linted file:
 * `.hpmrc.json` or `hpm.config.json` (the first found wins; `.hpmrc.json` first in a directory).
 * Paths inside it are relative to the file's directory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { RULES_BY_ID } from './registry.js';
import { closest } from './rules/support.js';
import type { RuleSetting } from './types.js';

export const CONFIG_FILE_NAMES = ['.hpmrc.json', 'hpm.config.json'] as const;

export interface ProjectConfig {
  /** Where it was read from. */
  path: string;
  haproxyVersion?: string;
  rules?: Record<string, RuleSetting>;
  passwd?: string;
  group?: string;
  users?: string[];
  groups?: string[];
  defines?: Record<string, string>;
  masterWorker?: boolean;
  hostChecks?: boolean;
}

export class ConfigFileError extends Error {}

export function findConfigFile(startDirectory: string): string | undefined {
  let dir = resolve(startDirectory);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const SETTINGS = new Set(['off', 'warn', 'error']);

/** Every key the file may hold (docs/hpmrc.schema.json describes the same; a test keeps them equal). */
export const CONFIG_KEYS = ['$schema', 'haproxyVersion', 'masterWorker', 'hostChecks', 'rules', 'passwd', 'group', 'users', 'groups', 'defines'] as const;

/** Unknown keys and rule ids are errors, as they are on the command line: a typo must not silently do nothing. */
function checkNames(path: string, o: Record<string, unknown>): void {
  for (const key of Object.keys(o)) {
    if ((CONFIG_KEYS as readonly string[]).includes(key)) continue;
    const meant = closest(key, CONFIG_KEYS);
    throw new ConfigFileError(`${path}: unknown key '${key}'${meant ? ` (did you mean '${meant}'?)` : ''}`);
  }
  const rules = o['rules'];
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) return;
  for (const id of Object.keys(rules)) {
    if (RULES_BY_ID.has(id)) continue;
    const meant = closest(id, [...RULES_BY_ID.keys()]);
    throw new ConfigFileError(`${path}: unknown rule '${id}' in 'rules'${meant ? ` (did you mean '${meant}'?)` : ''}`);
  }
}

export function readConfigFile(path: string): ProjectConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigFileError(`${path}: ${(e as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigFileError(`${path}: expected a JSON object`);
  const o = raw as Record<string, unknown>;
  checkNames(path, o);
  const base = dirname(path);
  const config: ProjectConfig = { path };
  const str = (key: string): string | undefined => {
    if (o[key] === undefined) return undefined;
    if (typeof o[key] !== 'string') throw new ConfigFileError(`${path}: '${key}' must be a string`);
    return o[key] as string;
  };
  const list = (key: string): string[] | undefined => {
    if (o[key] === undefined) return undefined;
    if (!Array.isArray(o[key]) || !(o[key] as unknown[]).every((x) => typeof x === 'string')) throw new ConfigFileError(`${path}: '${key}' must be a list of strings`);
    return o[key] as string[];
  };
  const version = str('haproxyVersion');
  if (version !== undefined) config.haproxyVersion = version;
  const passwd = str('passwd');
  if (passwd !== undefined) config.passwd = resolve(base, passwd);
  const group = str('group');
  if (group !== undefined) config.group = resolve(base, group);
  const users = list('users');
  if (users) config.users = users;
  const groups = list('groups');
  if (groups) config.groups = groups;
  for (const key of ['masterWorker', 'hostChecks'] as const) {
    if (o[key] === undefined) continue;
    if (typeof o[key] !== 'boolean') throw new ConfigFileError(`${path}: '${key}' must be true or false`);
    config[key] = o[key] as boolean;
  }
  if (o['rules'] !== undefined) {
    const rules = o['rules'] as Record<string, unknown>;
    if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) throw new ConfigFileError(`${path}: 'rules' must be an object`);
    for (const [id, setting] of Object.entries(rules)) {
      if (typeof setting !== 'string' || !SETTINGS.has(setting)) throw new ConfigFileError(`${path}: rule '${id}' must be "off", "warn" or "error"`);
    }
    config.rules = rules as Record<string, RuleSetting>;
  }
  if (o['defines'] !== undefined) {
    const defines = o['defines'];
    if (Array.isArray(defines)) config.defines = parseDefines(defines.map(String));
    else if (typeof defines === 'object' && defines !== null) config.defines = Object.fromEntries(Object.entries(defines).map(([k, v]) => [k, String(v)]));
    else throw new ConfigFileError(`${path}: 'defines' must be a list of NAME[=VALUE] or an object`);
  }
  return config;
}

/** `NAME[=VALUE]` (as `--define`): VALUE defaults to `1`, which makes `defined(NAME)` true. */
export function parseDefines(items: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq === 0) throw new ConfigFileError(`invalid define '${item}': expected NAME[=VALUE]`);
    if (eq < 0) out[item] = '1';
    else out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}
