/**
 * What hover and completion say about a keyword: the program-section keywords (HAProxy's and
 * hpm-run's extensions), the section keywords and the `.if` predicates and directives, as short
 * texts from HAProxy's manuals and hpm's docs; and, for every section keyword and every first word
 * of a line, what the keyword catalogue knows (its sections, versions, replacement, `no`/`default`).
 */
import { quoteKeyword } from '../lint/rules/keyword/placement.js';
import { ALL_SECTIONS, CATALOGUE_VERSIONS, existsIn, keywordInfo, sectionInfo, type KeywordInfo, type SectionInfo } from '../model/keywords/index.js';
import { EXTENSION_KEYWORDS, PROGRAM_KEYWORDS } from '../model/index.js';
import { ALL_SECTION_KEYWORDS, compareVersions } from '../syntax/index.js';

export interface KeywordDoc {
  /** How it is written, e.g. `command <command> [arguments*]`. */
  synopsis: string;
  /** One or two sentences: what it does. */
  summary: string;
  /** HAProxy versions that know it, e.g. `2.4+`, where the keyword catalogue does not say. */
  versions?: string;
  /** Text to insert on completion (a snippet with $1 ... placeholders), when not the keyword itself. */
  snippet?: string;
}

export const PROGRAM_KEYWORD_DOCS: Record<(typeof PROGRAM_KEYWORDS)[number], KeywordDoc> = {
  command: {
    synopsis: 'command <command> [arguments*]',
    summary: 'The command the master starts, with its arguments, looked up in PATH and run without a shell. Mandatory; the last one wins.',
    snippet: 'command ${1:/usr/bin/program}',
  },
  user: {
    synopsis: 'user <user name>',
    summary: 'Run the command as this user (needs root). hpm-run also sets its supplementary groups.',
    snippet: 'user ${1:haproxy}',
  },
  group: {
    synopsis: 'group <group name>',
    summary: 'Run the command with this group (needs root).',
    snippet: 'group ${1:haproxy}',
  },
  option: {
    synopsis: '[no] option start-on-reload',
    summary: 'Start a new instance of the program on each reload (the default); `no option start-on-reload` keeps the running one across reloads.',
    snippet: 'option start-on-reload',
  },
};

export const EXTENSION_KEYWORD_DOCS: Record<(typeof EXTENSION_KEYWORDS)[number], KeywordDoc> = {
  restart: {
    synopsis: 'restart never|on-failure|always',
    summary: 'hpm-run only (inside `.if defined(HPM_RUN)`): restart the program when it ends, with backoff and a start limit.',
    snippet: 'restart ${1|on-failure,always,never|}',
  },
  'stop-signal': {
    synopsis: 'stop-signal <signal>',
    summary: 'hpm-run only (inside `.if defined(HPM_RUN)`): the signal that stops the program (default TERM).',
    snippet: 'stop-signal ${1:TERM}',
  },
  'stop-timeout': {
    synopsis: 'stop-timeout <time>',
    summary: "hpm-run only (inside `.if defined(HPM_RUN)`): SIGKILL the program's process group this long after the stop signal; 0 waits forever.",
    snippet: 'stop-timeout ${1:10s}',
  },
  'reload-signal': {
    synopsis: 'reload-signal auto|<signal>|none',
    summary:
      'hpm-run only (inside `.if defined(HPM_RUN)`): what a `no option start-on-reload` program gets at a reload. `auto` (default): SIGUSR1 only when the process catches or ignores it; a signal name: always that signal; `none`: nothing.',
    snippet: 'reload-signal ${1|auto,USR1,HUP,none|}',
  },
  'reload-order': {
    synopsis: 'reload-order overlap|stop-first',
    summary:
      "hpm-run only (inside `.if defined(HPM_RUN)`): how a start-on-reload program is replaced at a reload. `overlap` (default, HAProxy's): the old instance gets SIGUSR1 and the new one starts at once; `stop-first`: the old one is stopped (stop-signal, stop-timeout, SIGKILL) before the new one starts, so two never hold the same port.",
    snippet: 'reload-order ${1|stop-first,overlap|}',
  },
  after: {
    synopsis: 'after <program>...',
    summary:
      "hpm-run only (inside `.if defined(HPM_RUN)`): start this program once the named programs are ready (see `ready`), and stop it before them. `haproxy` names the HAProxy child of `hpm-run --haproxy`, ready once its master CLI answers.",
    snippet: 'after ${1:haproxy}',
  },
  ready: {
    synopsis: 'ready tcp <host>:<port> | unix <path> | exec <command> [args] | file <path>',
    summary:
      'hpm-run only (inside `.if defined(HPM_RUN)`): when the program counts as ready (default: once forked): a TCP or unix socket accepts a connection, a command exits 0, or a file exists. Programs that name it in `after` wait for it; systemd READY=1 waits for every check.',
    snippet: 'ready ${1|tcp,unix,exec,file|} ${2:127.0.0.1:8080}',
  },
  'ready-timeout': {
    synopsis: 'ready-timeout <time>',
    summary: "hpm-run only (inside `.if defined(HPM_RUN)`): how long the `ready` check may take (default 30s); a program not ready in time is logged, stopped, and its restart policy treats it as a failed start.",
    snippet: 'ready-timeout ${1:30s}',
  },
  env: {
    synopsis: 'env <name> <value>',
    summary: "hpm-run only (inside `.if defined(HPM_RUN)`): set an environment variable for this program only, over hpm-run's environment and `global` setenv. Repeatable; the last line for a name wins.",
    snippet: 'env ${1:NAME} ${2:value}',
  },
  cwd: {
    synopsis: 'cwd <dir>',
    summary: "hpm-run only (inside `.if defined(HPM_RUN)`): the program's working directory, entered as its user before exec; a missing one fails the start with `Cannot execute`.",
    snippet: 'cwd ${1:/var/lib/app}',
  },
  umask: {
    synopsis: 'umask <octal>',
    summary: "hpm-run only (inside `.if defined(HPM_RUN)`): the program's file mode creation mask, e.g. `027` (default: hpm-run's own).",
    snippet: 'umask ${1:027}',
  },
};

const SECTION_SUMMARIES: Record<string, string> = {
  global: 'Process-wide settings.',
  defaults: 'Default settings for the proxy sections that follow.',
  frontend: 'A proxy that accepts client connections.',
  backend: 'A proxy that forwards connections to servers.',
  listen: 'A frontend and a backend in one section.',
  userlist: 'Users and groups for HTTP authentication.',
  peers: 'Stick-table replication peers.',
  mailers: 'Mail servers for email alerts.',
  resolvers: 'DNS resolvers.',
  cache: 'An HTTP cache.',
  program: 'A program that the master process starts and watches (needs master-worker mode).',
  namespace_list: 'Network namespaces.',
  'fcgi-app': 'A FastCGI application.',
  'http-errors': 'Custom HTTP error pages.',
  ring: 'A ring buffer for logs and traces.',
  'log-forward': 'A syslog forwarder.',
  'crt-store': 'A certificate store.',
  acme: 'An ACME certificate provider.',
  'log-profile': 'A log profile.',
  traces: 'Trace settings.',
  healthcheck: 'A reusable health check.',
};

export function sectionKeywordDoc(keyword: string): KeywordDoc | undefined {
  if (!ALL_SECTION_KEYWORDS.has(keyword)) return undefined;
  const named = !['global', 'defaults'].includes(keyword);
  return {
    synopsis: named ? `${keyword} <name>` : keyword,
    summary: SECTION_SUMMARIES[keyword] ?? 'A configuration section.',
    ...(named ? { snippet: `${keyword} \${1:name}` } : {}),
  };
}

/** The last catalogued version before `version` (the last one that still had a removed keyword). */
function catalogueVersionBefore(version: string): string | undefined {
  return [...CATALOGUE_VERSIONS].reverse().find((v) => compareVersions(v, version) < 0);
}

/** `HAProxy 2.0+`, `HAProxy 2.0-3.2 (removed in 3.3)`; deprecation with its replacement; `no`/`default`; build option. */
function lifeFacts(info: KeywordInfo | SectionInfo): string[] {
  const last = info.removed === undefined ? undefined : catalogueVersionBefore(info.removed);
  const facts = [
    info.removed === undefined
      ? `HAProxy ${info.since}+`
      : `HAProxy ${last === undefined || last === info.since ? info.since : `${info.since}-${last}`} (removed in ${info.removed})`,
  ];
  if (info.deprecated !== undefined) {
    const replacement = 'replacement' in info ? info.replacement : undefined;
    facts.push(`deprecated since ${info.deprecated}${replacement ? `: use ${quoteKeyword(replacement)} instead` : ''}`);
  }
  if ('modifiable' in info && info.modifiable) facts.push('takes `no` / `default`');
  if ('requires' in info && info.requires) facts.push(`needs a build with ${info.requires}`);
  return facts;
}

function notInTarget(info: { since: string; removed?: string }, version: string): string | undefined {
  return existsIn(info, version) ? undefined : `Not in HAProxy ${version}, the targeted version.`;
}

/** The sections (of any catalogued version) that have `keyword`. */
export function sectionsWithKeyword(keyword: string): string[] {
  return [...ALL_SECTIONS].filter((section) => keywordInfo(section, keyword) !== undefined);
}

/** What the catalogue knows of a section keyword, as Markdown; undefined for a word it does not know. */
export function sectionCatalogueMarkdown(keyword: string, version: string): string | undefined {
  const info = sectionInfo(keyword);
  if (!info) return undefined;
  const count = Object.keys(info.keywords).length;
  return [`\`${keyword}\` sections: ${lifeFacts(info).join('; ')}; ${count} keyword${count === 1 ? '' : 's'} across versions.`, notInTarget(info, version)]
    .filter(Boolean)
    .join('\n\n');
}

/**
 * What the catalogue knows of a line's first word in the section it is in (`undefined`: out of
 * any section), as Markdown: its versions there and the other sections that have it. Undefined
 * for a word that no section of any version has.
 */
export function keywordCatalogueMarkdown(section: string | undefined, keyword: string, version: string): string | undefined {
  const homes = sectionsWithKeyword(keyword);
  if (homes.length === 0) return undefined;
  const info = section === undefined ? undefined : keywordInfo(section, keyword);
  const parts: (string | undefined)[] = [];
  if (info) parts.push(`\`${keyword}\` in \`${section}\` sections: ${lifeFacts(info).join('; ')}.`, notInTarget(info, version));
  else if (section === undefined) parts.push(`\`${keyword}\` belongs inside a section.`);
  else parts.push(`\`${keyword}\` is not a keyword of \`${section}\` sections in any HAProxy version.`);
  const others = homes.filter((s) => s !== section);
  if (others.length > 0) parts.push(`${info ? 'Also a keyword of' : 'A keyword of'} ${others.map((s) => `\`${s}\``).join(', ')} sections.`);
  return parts.filter(Boolean).join('\n\n');
}

/** The predicates of `.if` conditions (the manual documents them from 2.4; some came later). */
export const CONDITION_PREDICATE_DOCS: Record<string, KeywordDoc> = {
  defined: { synopsis: 'defined(<name>)', summary: 'True when the environment variable <name> exists, whatever its contents. hpm-run defines HPM_RUN.', versions: '2.4+', snippet: 'defined(${1:HPM_RUN})' },
  feature: { synopsis: 'feature(<name>)', summary: 'True when <name> is listed as present (after a `+`) in the features of `haproxy -vv`.', versions: '2.4+', snippet: 'feature(${1:OPENSSL})' },
  streq: { synopsis: 'streq(<str1>,<str2>)', summary: 'True when the two strings are equal (quote "$VAR" to compare a variable).', versions: '2.4+', snippet: 'streq(${1:"\\$VAR"},${2:value})' },
  strneq: { synopsis: 'strneq(<str1>,<str2>)', summary: 'True when the two strings differ.', versions: '2.4+', snippet: 'strneq(${1:"\\$VAR"},${2:value})' },
  version_atleast: { synopsis: 'version_atleast(<ver>)', summary: "True when HAProxy's version is at least as recent as <ver>.", versions: '2.4+', snippet: 'version_atleast(${1:2.6})' },
  version_before: { synopsis: 'version_before(<ver>)', summary: "True when HAProxy's version is older than <ver>.", versions: '2.4+', snippet: 'version_before(${1:3.3})' },
  enabled: { synopsis: 'enabled(<opt>)', summary: 'True when the option <opt> (POLL, EPOLL, SPLICE, GETADDRINFO, REUSEPORT...) is enabled at run time.', versions: '2.8+', snippet: 'enabled(${1:EPOLL})' },
  strstr: { synopsis: 'strstr(<str1>,<str2>)', summary: 'True when the second string is found in the first one.', versions: '2.8+', snippet: 'strstr(${1:"\\$VAR"},${2:value})' },
  openssl_version_atleast: { synopsis: 'openssl_version_atleast(<ver>)', summary: 'True when the SSL library is OpenSSL at least <ver> (not in the manual; hpm evaluates it as Debian 12 sees it).', snippet: 'openssl_version_atleast(${1:3.0.0})' },
  openssl_version_before: { synopsis: 'openssl_version_before(<ver>)', summary: 'True when the SSL library is OpenSSL older than <ver> (not in the manual).', snippet: 'openssl_version_before(${1:3.0.0})' },
  ssllib_name_startswith: { synopsis: 'ssllib_name_startswith(<name>)', summary: "True when the SSL library's name starts with <name> (not in the manual).", snippet: 'ssllib_name_startswith(${1:OpenSSL})' },
};

export const DIRECTIVE_DOCS: Record<string, KeywordDoc> = {
  '.if': { synopsis: '.if <condition>', summary: 'Read the following lines only when the condition holds. hpm-run extensions go inside `.if defined(HPM_RUN)`.', versions: '2.4+', snippet: '.if ${1:defined(HPM_RUN)}' },
  '.elif': { synopsis: '.elif <condition>', summary: 'Else, if this condition holds.', snippet: '.elif ${1:condition}' },
  '.else': { synopsis: '.else', summary: 'Else.' },
  '.endif': { synopsis: '.endif', summary: 'Ends an `.if` block.' },
  '.notice': { synopsis: '.notice "<message>"', summary: 'Prints a notice while HAProxy reads the file.', snippet: '.notice "${1:message}"' },
  '.warning': { synopsis: '.warning "<message>"', summary: 'Prints a warning while HAProxy reads the file.', snippet: '.warning "${1:message}"' },
  '.alert': { synopsis: '.alert "<message>"', summary: 'Prints an alert and makes the configuration invalid.', snippet: '.alert "${1:message}"' },
  '.diag': { synopsis: '.diag "<message>"', summary: 'Prints a diagnostic with haproxy -dD.', snippet: '.diag "${1:message}"' },
};

/** A hand-written doc as Markdown, followed by what the catalogue adds (`facts`), if anything. */
export function keywordMarkdown(doc: KeywordDoc, facts?: string): string {
  return [`\`\`\`haproxy\n${doc.synopsis}\n\`\`\``, doc.summary, doc.versions ? `HAProxy ${doc.versions}.` : '', facts ?? ''].filter(Boolean).join('\n\n');
}
