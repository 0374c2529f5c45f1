/**
 * The user/group database a lint run uses: the host's (getent) unless `--passwd`/`--group` files
 * replace that kind, plus names listed in the config file.
 */
import { fileAccounts, hostAccounts, type AccountDatabase } from '../model/index.js';

export interface AccountSources {
  passwdFile?: string;
  groupFile?: string;
  users?: string[];
  groups?: string[];
  /** Look names up on this host (getent); false (--no-host-checks): a kind without a file cannot be judged, so any name passes. */
  host?: boolean;
}

/** Any name exists: without host checks and without account files, users and groups cannot be judged. */
export const UNJUDGED_ACCOUNTS: AccountDatabase = {
  user: (name) => ({ name, uid: -1, gid: -1 }),
  group: (name) => ({ name, gid: -1 }),
};

export function accountDatabase(sources: AccountSources): AccountDatabase {
  const host = sources.host === false ? UNJUDGED_ACCOUNTS : hostAccounts();
  const files = fileAccounts({
    ...(sources.passwdFile ? { passwdFile: sources.passwdFile } : {}),
    ...(sources.groupFile ? { groupFile: sources.groupFile } : {}),
    users: sources.users ?? [],
    groups: sources.groups ?? [],
  });
  return {
    user: (name) => files.user(name) ?? (sources.passwdFile ? undefined : host.user(name)),
    group: (name) => files.group(name) ?? (sources.groupFile ? undefined : host.group(name)),
  };
}
