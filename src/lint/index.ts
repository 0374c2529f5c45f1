/**
 * hpm-lint's library API (hpm-run validates with it before starting):
 *   lintSources(sources, options) and lintPaths(paths, options) -> LintResult.
 * `lintPaths` reads every path as ONE configuration, like `haproxy -f a -f dir`.
 */
import { expandConfigPaths, readConfigSource } from '../model/index.js';
import { lintSources } from './engine.js';
import type { LintOptions, LintResult } from './types.js';

export { lintSources, appliesToVersion } from './engine.js';
export { RULES, RULES_BY_ID } from './registry.js';
export { fixSources, applyFixes, writeFixedSources, type FixOutcome } from './fix.js';
export { findConfigFile, readConfigFile, parseDefines, ConfigFileError, CONFIG_FILE_NAMES, type ProjectConfig } from './config.js';
export { accountDatabase, type AccountSources } from './accounts.js';
export { formatResult, FORMATS, type FormatName, type LintFormatOptions } from './formatters/index.js';
export type * from './types.js';

/** Reads files and directories from disk (throws on unreadable paths) and lints them as one configuration. */
export function lintPaths(paths: readonly string[], options: LintOptions = {}): LintResult {
  return lintSources(expandConfigPaths(paths).map(readConfigSource), options);
}
