/**
 * Rewriting a configuration file in place without ever leaving half a file: write a temp file
 * next to the target, fsync, then rename over it. The file keeps its mode (and owner, as root);
 * a symlink is kept and the file it points to is rewritten. Used by `hpm-fmt --write` and
 * `hpm-lint --fix`.
 */
import { createRequire } from 'node:module';
import { chmodSync, chownSync, closeSync, fsyncSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function writeFileAtomically(path: string, data: Uint8Array): void {
  const target = realpathSync(path);
  const { mode, uid, gid } = statSync(target);
  // node:crypto is loaded here, not at start-up: most runs write nothing (~5 ms saved).
  const { randomBytes } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  const temp = join(dirname(target), `.${basename(target)}.hpm-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', mode & 0o7777);
  try {
    try {
      writeSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(temp, mode & 0o7777);
    if (process.getuid?.() === 0) chownSync(temp, uid, gid);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
