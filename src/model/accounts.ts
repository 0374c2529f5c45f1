/**
 * User and group lookup, as HAProxy does it at parse time with getpwnam()/getgrnam(): through
 * `getent` (so NSS sources count), or from passwd(5)/group(5) files for CI machines that lack
 * the production accounts.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

export interface UserEntry {
  name: string;
  uid: number;
  gid: number;
}
export interface GroupEntry {
  name: string;
  gid: number;
}

export interface AccountDatabase {
  user(name: string): UserEntry | undefined;
  group(name: string): GroupEntry | undefined;
}

function parsePasswdLine(line: string): UserEntry | undefined {
  const f = line.split(':');
  if (f.length < 4 || !f[0]) return undefined;
  return { name: f[0], uid: Number(f[2]), gid: Number(f[3]) };
}
function parseGroupLine(line: string): GroupEntry | undefined {
  const f = line.split(':');
  if (f.length < 3 || !f[0]) return undefined;
  return { name: f[0], gid: Number(f[2]) };
}

/** The text of a local database file, read once (undefined when missing). */
const localFiles = new Map<string, string | undefined>();
function localFile(path: string): string | undefined {
  if (!localFiles.has(path)) {
    try {
      localFiles.set(path, readFileSync(path, 'utf8'));
    } catch {
      localFiles.set(path, undefined);
    }
  }
  return localFiles.get(path);
}

/**
 * The entry from /etc/passwd or /etc/group when nsswitch.conf asks the local files first (the
 * usual case): the answer getent would give, without starting a process (~5-20 ms each, most of
 * a small file's lint time). Undefined when the files are not asked first or do not hold the name.
 */
function localEntry(database: 'passwd' | 'group', name: string): string | undefined {
  const nsswitch = localFile('/etc/nsswitch.conf');
  const sources = nsswitch?.match(new RegExp(`^${database}:[ \\t]*(\\S+)`, 'm'))?.[1];
  if (sources !== 'files') return undefined;
  const text = localFile(`/etc/${database}`);
  if (text === undefined) return undefined;
  for (const line of text.split('\n')) if (line.startsWith(`${name}:`)) return line;
  return undefined;
}

function getent(database: 'passwd' | 'group', name: string): string | undefined {
  const local = localEntry(database, name);
  if (local !== undefined) return local;
  try {
    // node:child_process (with net, streams...) is loaded only when a name is not in the local files.
    const { execFileSync } = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
    return execFileSync('getent', [database, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0];
  } catch {
    return undefined; // exit 2: not found (or getent missing)
  }
}

/** The host's databases through NSS, cached per name. */
export function hostAccounts(): AccountDatabase {
  const users = new Map<string, UserEntry | undefined>();
  const groups = new Map<string, GroupEntry | undefined>();
  return {
    user(name) {
      if (!users.has(name)) {
        const line = getent('passwd', name);
        users.set(name, line ? parsePasswdLine(line) : undefined);
      }
      return users.get(name);
    },
    group(name) {
      if (!groups.has(name)) {
        const line = getent('group', name);
        groups.set(name, line ? parseGroupLine(line) : undefined);
      }
      return groups.get(name);
    },
  };
}

/**
 * Databases from passwd/group files and/or plain name lists (the config file's `users` and
 * `groups`). A source that is not given answers nothing for its kind, so names are unknown.
 */
export function fileAccounts(options: { passwdFile?: string; groupFile?: string; users?: string[]; groups?: string[] }): AccountDatabase {
  const users = new Map<string, UserEntry>();
  const groups = new Map<string, GroupEntry>();
  if (options.passwdFile) {
    for (const line of readFileSync(options.passwdFile, 'utf8').split('\n')) {
      const u = parsePasswdLine(line);
      if (u) users.set(u.name, u);
    }
  }
  if (options.groupFile) {
    for (const line of readFileSync(options.groupFile, 'utf8').split('\n')) {
      const g = parseGroupLine(line);
      if (g) groups.set(g.name, g);
    }
  }
  for (const name of options.users ?? []) if (!users.has(name)) users.set(name, { name, uid: -1, gid: -1 });
  for (const name of options.groups ?? []) if (!groups.has(name)) groups.set(name, { name, gid: -1 });
  return { user: (name) => users.get(name), group: (name) => groups.get(name) };
}
