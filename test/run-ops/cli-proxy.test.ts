/**
 * hpm-run --haproxy's master CLI is HAProxy's own: the same command lines (chains, levels,
 * prompt mode, `@N` routing and its sticky form, commands a version has or lacks) get the same
 * bytes from `hpm-run --haproxy <binary> -S` as from `<binary> -W -S`, for every HAProxy version
 * available, including lines that mix hpm-run's own commands with forwarded ones.
 */
import { copyFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, killLeftovers, newTag, start, startHpmRun, waitNoLeftovers, type Started } from '../run/helpers.js';
import { haproxyMatrix, type HaproxyBinary } from './haproxy-versions.js';
import { cliRequest, freePort, tempDir, waitFor } from './helpers.js';

const FIXTURE = resolve(import.meta.dirname, '../../fixtures/run/dpapi-replay.cfg');

/** Whole conversations (all lines sent at once, then EOF). None reloads or shows processes. */
const CONVERSATIONS = [
  'help\n',
  'help show\n',
  'show version;quit;show version\n',
  'show version\nshow cli level\n',
  'operator;show cli level\n',
  'user;show cli level;operator\n',
  'user;reload\n',
  'prompt\nshow version\nquit\n',
  'prompt\n\nshow cli level\n',
  'prompt\nuser\nreload\nshow cli level\nquit\n',
  'prompt\n@1\nshow version\n@master\nshow cli level\n',
  '@1 show version;@master show version\n',
  'set severity-output number;@1 show version;quit\n',
  '@1 set severity-output number;@1 set server be/nope state ready;quit\n',
  'expert-mode on;@1 show version;quit\n',
  'echo hello;quit\n',
  '@@1 show version\n',
  '@0 show version;@0 show cli level\n',
  'show proc x;quit\n'.replace('show proc x', 'show procs'),
  'no-such-command\n',
];

/**
 * `@<n>` / `@!<pid>` for a process HAProxy does not have: one error line. Read up to it and
 * hang up: HAProxy itself (2.6 - 3.4) sometimes never closes after this error when the client's
 * end of input arrives with the request, so reading to EOF would wait for its idle timeout.
 */
const UNKNOWN_TARGETS = ['@5 show version\n', '@!1 show version\n'];

function firstLine(path: string, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const conn = createConnection({ path });
    let data = '';
    conn.on('data', (c: Buffer) => {
      data += c.toString('utf8');
      if (data.includes('\n')) {
        conn.destroy();
        resolve(data);
      }
    });
    conn.on('error', reject);
    conn.on('close', () => resolve(data));
    conn.write(request);
  });
}

const matrix = haproxyMatrix('master CLI proxy');

describe.skipIf(matrix.length === 0).each(matrix)('master CLI through hpm-run, HAProxy $branch', (bin: HaproxyBinary) => {
  const tag = newTag();
  const tmp = tempDir(`cliproxy-${bin.branch}`);
  const socks: string[] = [];
  const processes: Started[] = [];

  beforeAll(async () => {
    ensureBuilt();
    for (const name of ['haproxy', 'hpm-run']) {
      const cfg = join(tmp.dir, `${name}.cfg`);
      copyFileSync(FIXTURE, cfg);
      const sock = join(tmp.dir, `${name}.sock`);
      const env = { FE_PORT: String(await freePort()), BE_PORT: String(await freePort()) };
      processes.push(name === 'haproxy' ? start(bin.path, ['-W', '-db', '-S', sock, '-f', cfg], { tag, env }) : startHpmRun(['--haproxy', bin.path, '-S', sock, cfg], { tag, env }));
      socks.push(sock);
      await waitFor(`${name}'s worker`, async () => ((await cliRequest(sock, '@1 show version\n', 2_000)).startsWith(bin.version.split('-')[0]!) ? true : undefined), 30_000);
    }
  }, 90_000);

  afterAll(async () => {
    for (const p of processes) if (p.child.exitCode === null) p.signal('SIGTERM');
    await Promise.all(processes.map((p) => p.exited));
    const left = await waitNoLeftovers(tag);
    killLeftovers(tag);
    tmp.cleanup();
    expect(left).toEqual([]);
  }, 30_000);

  // `hard-reload` is HAProxy's from 2.9 on; hpm-run has it with every version.
  const conversations = bin.version >= '2.9' ? [...CONVERSATIONS, 'operator;user;hard-reload\n'] : CONVERSATIONS;

  it.each(conversations.map((c) => [JSON.stringify(c), c]))('%s', async (_name, conversation) => {
    const [alone, proxied] = await Promise.all(socks.map((s) => cliRequest(s, conversation!)));
    // The prompt of a `@<n>` session is the pid of that process: one per HAProxy here.
    const samePids = (text: string) => text.replace(/\b\d+> /g, '<pid>> ');
    expect(samePids(proxied!)).toBe(samePids(alone!));
  });

  it.each(UNKNOWN_TARGETS.map((c) => [JSON.stringify(c), c]))('%s', async (_name, request) => {
    const [alone, proxied] = await Promise.all(socks.map((s) => firstLine(s, request!)));
    expect(alone).toMatch(/^Can't find the target PID matching the prefix '@!?\d+'\n$/);
    expect(proxied).toBe(alone);
  });

  it('answers show proc between forwarded commands, in order, in prompt mode', async () => {
    const reply = await cliRequest(socks[1]!, 'prompt\nshow version\nshow proc\nshow cli level\n');
    const version = await cliRequest(socks[0]!, 'show version\n');
    const [first, rest] = [reply.slice(0, `master> ${version}master> `.length), reply.slice(`master> ${version}master> `.length)];
    expect(first).toBe(`master> ${version}master> `);
    expect(rest).toMatch(/^#<PID> {10}<type> [^\n]*\n\d+ +master [^\n]*\n# workers\n(.*\n)*\nmaster> admin\n\nmaster> $/);
  });
});
