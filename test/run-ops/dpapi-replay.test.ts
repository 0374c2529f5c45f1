/**
 * The Data Plane API's own calls (byte sequences read from its source, client-native), played
 * against HAProxy alone (`haproxy -W -db -S sock`) and against `hpm-run --haproxy` on the same
 * configuration, for every HAProxy version available. Replies are compared after the API's own
 * trimming and parsing: a difference is a difference the API would notice.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, killLeftovers, newTag, start, startHpmRun, waitNoLeftovers, type Started } from '../run/helpers.js';
import { haproxyMatrix, type HaproxyBinary } from './haproxy-versions.js';
import { cliRequest, freePort, tempDir, waitFor } from './helpers.js';

const FIXTURE = resolve(import.meta.dirname, '../../fixtures/run/dpapi-replay.cfg');

// ---- the API's side: what it sends and how it reads the reply ---------------------------------

/** Runtime commands through the master: `@1 set severity-output number;@1 <cmd>;quit`. */
const runtime = (command: string) => `@1 set severity-output number;@1 ${command};quit\n`;
/** The same without the `@1` on the first command (older API releases). */
const runtimeMasterSeverity = (command: string) => `set severity-output number;@1 ${command};quit\n`;

/** The API reads to EOF, then trims `\n> ` and `\n`. */
function trimmed(raw: string): string {
  let out = raw.endsWith('\n> ') ? raw.slice(0, -3) : raw;
  if (out.endsWith('\n')) out = out.slice(0, -1);
  return out;
}

/** Execute / ExecuteWithResponse: an error is a reply whose bytes 1..4 are `[0]:` .. `[3]:`. */
function outcome(raw: string): { error?: string; response: string } {
  const data = trimmed(raw);
  if (data.length > 5 && /^\[[0-3]\]:$/.test(data.slice(1, 5))) return { error: data.slice(5), response: '' };
  return { response: data.length > 1 ? data.slice(1) : '' };
}

/** GetStats: drop 2 bytes, CSV header, one object per complete line (empty fields left out). */
function statsObjects(raw: string): Record<string, string>[] {
  const lines = trimmed(raw).slice(2).split('\n');
  const keys = lines[0]!.split(',');
  const out: Record<string, string>[] = [];
  for (const line of lines.slice(1)) {
    const fields = line.split(',');
    if (fields.length < keys.length) continue;
    const obj: Record<string, string> = {};
    keys.forEach((key, i) => {
      if (fields[i]) obj[key] = fields[i]!;
    });
    out.push(obj);
  }
  return out;
}

/** What does not depend on timing or pids in a stats object. */
function stableStats(objects: Record<string, string>[]): string[] {
  return objects.map((o) => [o[' pxname'] ?? o.pxname, o.svname, o.status, o.type, o.iid, o.sid].join('/'));
}

/** `@1 show info`: `Key: value` lines; the API reads the version. */
function info(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of trimmed(raw).split('\n')) {
    const at = line.indexOf(': ');
    if (at > 0) out[line.slice(0, at)] = line.slice(at + 2);
  }
  return out;
}

/** `reload;quit` (2.7+): split on `\n--\n`, `Success=1` / `Success=0`. */
function reloadSuccess(raw: string): string {
  return trimmed(raw).split('\n--\n')[0]!;
}

/** The event listener: first bytes of the stream, and whether HAProxy still holds it open. */
function openEventStream(sock: string): { firstBytes: () => string; open: () => boolean; close: () => void; ready: Promise<void> } {
  const conn = createConnection({ path: sock });
  let data = '';
  let closed = false;
  let gotData: () => void = () => undefined;
  const ready = new Promise<void>((r) => (gotData = r));
  conn.on('data', (c: Buffer) => {
    data += c.toString('latin1');
    gotData();
  });
  conn.on('error', () => undefined);
  conn.on('close', () => {
    closed = true;
    gotData();
  });
  conn.write('@@1 set severity-output number;show events dpapi -w -0\n');
  return { firstBytes: () => data, open: () => !closed, close: () => conn.destroy(), ready };
}

// ---- the two targets ----------------------------------------------------------------------------

interface Target {
  name: string;
  sock: string;
  cfg: string;
  process: Started;
}

async function holdPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, server };
}

const matrix = haproxyMatrix('Data Plane API replay');

describe.skipIf(matrix.length === 0).each(matrix)('Data Plane API replay, HAProxy $branch', (bin: HaproxyBinary) => {
  const tag = newTag();
  const tmp = tempDir(`dpapi-${bin.branch}`);
  const targets: Target[] = [];

  async function startTarget(name: 'haproxy' | 'hpm-run'): Promise<Target> {
    const cfg = join(tmp.dir, `${name}.cfg`);
    copyFileSync(FIXTURE, cfg);
    const sock = join(tmp.dir, `${name}.sock`);
    const env = { FE_PORT: String(await freePort()), BE_PORT: String(await freePort()) };
    const process =
      name === 'haproxy'
        ? start(bin.path, ['-W', '-db', '-S', sock, '-f', cfg], { tag, env })
        : startHpmRun(['--haproxy', bin.path, '-S', sock, cfg], { tag, env });
    const target = { name, sock, cfg, process };
    targets.push(target);
    // The API's start probe: `help` until a socket answers.
    await waitFor(`${name} to answer help`, async () => ((await cliRequest(sock, 'help\n', 2_000)).startsWith('The following') ? true : undefined), 30_000);
    // ... and a worker behind it.
    await waitFor(`${name}'s worker`, async () => (info(await cliRequest(sock, runtime('show info'), 2_000)).Pid ? true : undefined), 30_000);
    return target;
  }

  /** The same request to both; the parsed replies side by side. */
  async function both<T>(request: string, parse: (raw: string) => T): Promise<[T, T]> {
    const [a, b] = await Promise.all(targets.map((t) => cliRequest(t.sock, request)));
    return [parse(a!), parse(b!)];
  }

  beforeAll(async () => {
    ensureBuilt();
    await startTarget('haproxy');
    await startTarget('hpm-run');
  }, 90_000);

  afterAll(async () => {
    for (const t of targets) if (t.process.child.exitCode === null) t.process.signal('SIGTERM');
    await Promise.all(targets.map((t) => t.process.exited));
    const left = await waitNoLeftovers(tag);
    killLeftovers(tag);
    tmp.cleanup();
    expect(left).toEqual([]);
  }, 30_000);

  it('start probe: help', async () => {
    const [alone, proxied] = await both('help\n', trimmed);
    expect(proxied).toBe(alone);
  });

  it('show stat parses to the same objects', async () => {
    for (const form of [runtime, runtimeMasterSeverity]) {
      const [alone, proxied] = await both(form('show stat'), (raw) => ({ outcome: outcome(raw).error, stats: stableStats(statsObjects(raw)) }));
      expect(proxied).toEqual(alone);
    }
    const [alone] = await both(runtime('show stat'), statsObjects);
    expect(alone.length).toBeGreaterThanOrEqual(3); // fe, be/s1, be: the comparison is not empty
  });

  it('@1 show info gives the same version', async () => {
    const [alone, proxied] = await both(runtime('show info'), info);
    expect(alone.Version).toBe(bin.version);
    expect(proxied.Version).toBe(alone.Version);
    expect(Object.keys(proxied)).toEqual(Object.keys(alone));
  });

  it('a failing set server fails the same way', async () => {
    for (const form of [runtime, runtimeMasterSeverity]) {
      const [alone, proxied] = await both(form('set server be/nope state ready'), outcome);
      expect(proxied).toEqual(alone);
    }
    const [alone, proxied] = await both(runtime('set server be/s1 weight 7'), outcome);
    expect(proxied).toEqual(alone);
    const [weights] = await both(runtime('get weight be/s1'), outcome);
    expect(weights.response).toMatch(/^7 /);
  });

  it.skipIf(!bin.syncReload)('reload;quit with a good configuration: Success=1, then @1 answers at once', async () => {
    const [alone, proxied] = await both('reload;quit\n', reloadSuccess);
    expect(alone).toBe('Success=1');
    expect(proxied).toBe(alone);
    const [a, b] = await both(runtime('show info'), info);
    expect(a.Pid).toBeDefined();
    expect(b.Pid).toBeDefined();
  });

  it('@1 never fails during or right after a reload through hpm-run', async () => {
    const hpm = targets[1]!;
    let done = false;
    const failures: string[] = [];
    let answered = 0;
    const poll = (async () => {
      while (!done) {
        try {
          const reply = info(await cliRequest(hpm.sock, runtime('show info')));
          if (reply.Pid) answered++;
          else failures.push(JSON.stringify(reply));
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
    })();
    const reply = await cliRequest(hpm.sock, 'reload;quit\n', 60_000);
    // A few more after the reload answered, then stop.
    const after = answered;
    await waitFor('answers after the reload', () => (answered >= after + 3 ? true : undefined));
    done = true;
    await poll;
    expect(reply.split('\n--\n')[0]).toBe('Success=1');
    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(3);
  });

  it('reload;quit with a configuration that passes -c but cannot bind: Success=0, HAProxy keeps serving', async () => {
    const held = await holdPort();
    try {
      for (const t of targets) writeFileSync(t.cfg, readFileSync(FIXTURE, 'utf8').replace('"127.0.0.1:${FE_PORT}"', `127.0.0.1:${held.port}`));
      const [alone, proxied] = await both('reload;quit\n', reloadSuccess);
      // 2.6 answers nothing (the API then runs its reload_cmd); hpm-run says what happened.
      expect(proxied).toBe('Success=0');
      if (bin.syncReload) {
        // HAProxy's own startup log names the user's file, not hpm-run's private copy.
        const log = await cliRequest(targets[1]!.sock, 'reload;quit\n');
        expect(log).toMatch(/cannot bind socket/);
        expect(log).toContain(`${targets[1]!.cfg}:`);
        expect(log).not.toMatch(/hpm-run-haproxy-/);
      }
      if (bin.syncReload) expect(alone).toBe('Success=0');
      // hpm-run answered once HAProxy's master was back: its worker answers at once.
      expect(info(await cliRequest(targets[1]!.sock, runtime('show info'))).Pid).toBeDefined();
      // HAProxy 2.6 alone re-executes after answering: its socket refuses connections meanwhile.
      await waitFor('HAProxy alone to answer again', async () => info(await cliRequest(targets[0]!.sock, runtime('show info'))).Pid);
    } finally {
      held.server.close();
      for (const t of targets) copyFileSync(FIXTURE, t.cfg);
    }
  });

  it.skipIf(!/^3\.([2-9])|^[4-9]\./.test(bin.version))('the @@1 event stream opens and stays open the same way', async () => {
    const streams = targets.map((t) => openEventStream(t.sock));
    try {
      await Promise.all(streams.map((s) => s.ready));
      // Another request round trip on each, then the streams are still open (no reconnect loop).
      await both(runtime('show info'), info);
      expect(streams.map((s) => s.open())).toEqual([true, true]);
      expect(streams[1]!.firstBytes()).toBe(streams[0]!.firstBytes());
    } finally {
      for (const s of streams) s.close();
    }
  });
});
