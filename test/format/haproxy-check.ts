/** Runs `haproxy -c` on a text and masks what formatting may legitimately change: positions (and pids, timestamps). */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Verdict {
  code: number | null;
  /** Output lines, sorted (line numbers move, so the order of messages may too). */
  messages: string[];
}

function mask(line: string): string {
  return line
    .replace(/^\d+\.\d+ /, 'TIME ')
    .replace(/\(\d+\)/g, '(PID)')
    .replace(/\[[^\]\n]*:\d+\]/g, '[FILE:LINE]')
    .replace(/[\w./-]+\.cfg:\d+/g, 'FILE:LINE')
    .replace(/line \d+/g, 'line N');
}

/** Saves `bytes` as <dir>/haproxy.cfg and runs `haproxy -c [-W] -f haproxy.cfg` from <dir>. */
export function haproxyCheck(dir: string, bytes: Uint8Array | string, options: { masterWorker: boolean; env?: Record<string, string> }): Verdict {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'haproxy.cfg'), bytes);
  const run = spawnSync('haproxy', ['-c', ...(options.masterWorker ? ['-W'] : []), '-f', 'haproxy.cfg'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 30_000,
    ...(options.env ? { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env } } : {}),
  });
  const messages = `${run.stdout}${run.stderr}`
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map(mask)
    .sort();
  return { code: run.status, messages };
}
