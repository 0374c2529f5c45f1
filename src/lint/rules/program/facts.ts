/**
 * What HAProxy's program-section parser (mworker-prog.c, 2.0-3.2) does with one keyword line,
 * shared by the program rules so that they agree (haproxy.md §1.8, §2.2, §2.3).
 */
import { EXTENSION_KEYWORDS, PROGRAM_KEYWORDS } from '../../../model/index.js';
import { keywordsOf } from '../../../model/keywords/index.js';
import { compareVersions, type Line } from '../../../syntax/index.js';

/**
 * The arguments HAProxy's section parser gets after the keyword. `default` shifts the words left
 * but duplicates the last one (§1.8): `default option start-on-reload` arrives as
 * `option start-on-reload start-on-reload`.
 */
export function parserArguments(line: Line): string[] {
  const args = line.args ?? [];
  const rest = args.slice(line.modifier ? 2 : 1);
  if (line.modifier === 'default' && rest.length > 0) return [...rest, rest[rest.length - 1]!];
  return rest;
}

/**
 * The keywords of the program section in one version, from the keyword catalogue (`user` and
 * `group` came in 2.1). hpm-run, and HAProxy 3.3+ where program/removed speaks, read the section
 * as 3.2 did.
 */
export function programKeywords(haproxyVersion: string | undefined): readonly string[] {
  return keywordsOf('program', haproxyVersion === undefined || compareVersions(haproxyVersion, '3.2') > 0 ? '3.2' : haproxyVersion);
}

/** Every keyword worth suggesting for a misspelling: HAProxy's and hpm-run's. */
export const SUGGESTABLE_KEYWORDS: readonly string[] = [...PROGRAM_KEYWORDS, ...EXTENSION_KEYWORDS];

/**
 * True when HAProxy's parser leaves through its cleanup path on this line, freeing the program
 * being defined (§2.3): any later keyword line of the section then crashes HAProxy. A `no` on
 * another keyword and an unknown user/group do not go there (observed with 2.6.12).
 */
export function freesProgramState(line: Line, haproxyVersion: string | undefined): boolean {
  if (line.kind !== 'statement' || !line.active || line.args === undefined || !line.keyword) return false;
  const args = parserArguments(line);
  switch (line.keyword) {
    case 'command':
      return args.length === 0;
    case 'user':
    case 'group':
      return !programKeywords(haproxyVersion).includes(line.keyword) || args.length !== 1;
    case 'option':
      return args.length !== 1 || args[0] !== 'start-on-reload';
    default:
      return true;
  }
}
