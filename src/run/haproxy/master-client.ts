/**
 * A client of HAProxy's own master CLI (the `-S` socket of an HAProxy master): one request per
 * connection, read to EOF, as the Data Plane API does. Used to reload HAProxy and to read its
 * `show proc` rows; the byte-for-byte forwarding of clients lives in ../cli/proxy.ts.
 */
import { createConnection, type Socket } from 'node:net';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const NOT_LISTENING = new Set(['ECONNREFUSED', 'ENOENT', 'EAGAIN']);

/**
 * Connects to HAProxy's master CLI, waiting up to `waitMs` while nobody listens yet: HAProxy's
 * master is briefly away when it starts and when it re-executes itself (a reload; 2.5+ also
 * right after its first load), and a client of hpm-run must not see that window.
 */
export async function connectMaster(path: string, waitMs = 10_000): Promise<Socket> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const conn = createConnection({ path });
        conn.once('connect', () => {
          conn.off('error', reject);
          resolve(conn);
        });
        conn.once('error', reject);
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (!NOT_LISTENING.has(code) || Date.now() > deadline) throw error;
      await sleep(20);
    }
  }
}

/** Sends `line` + `\n`, shuts the sending side, returns everything HAProxy answers until it closes. */
export async function masterRequest(path: string, line: string, timeoutMs = 60_000): Promise<string> {
  const conn = await connectMaster(path);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => conn.destroy(new Error(`HAProxy's master CLI (${path}) did not answer '${line}' within ${timeoutMs} ms`)), timeoutMs);
    conn.on('data', (c: Buffer) => chunks.push(c));
    conn.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    conn.on('close', (hadError) => {
      clearTimeout(timer);
      if (!hadError) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    conn.end(`${line}\n`);
  });
}

/** `3.2.0-e134140d2` -> [3, 2]. */
export function versionBranch(version: string): [number, number] {
  const [major = 0, minor = 0] = version.split(/[.-]/).map(Number);
  return [major, minor];
}

export function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [a, b] = versionBranch(version);
  return a > major || (a === major && b >= minor);
}

export interface ShowProcRow {
  pid: number;
  type: string;
  reloads: string;
  /** The line as HAProxy printed it, without its newline. */
  line: string;
}

/** HAProxy's `show proc` text split into its header, master row and `# <section>` blocks. */
export interface ParsedShowProc {
  header: string;
  master?: ShowProcRow;
  sections: { title: string; rows: ShowProcRow[] }[];
}

function parseRow(line: string): ShowProcRow | undefined {
  const match = /^(\d+)\s+(\S+)\s+(\d+(?: \[failed: \d+\])?)/.exec(line);
  if (!match) return undefined;
  return { pid: Number(match[1]), type: match[2]!, reloads: match[3]!, line };
}

export function parseShowProc(text: string): ParsedShowProc | undefined {
  const lines = text.split('\n');
  if (!lines[0]?.startsWith('#<PID>')) return undefined;
  const out: ParsedShowProc = { header: lines[0], sections: [] };
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    if (line.startsWith('# ')) {
      out.sections.push({ title: line.slice(2), rows: [] });
      continue;
    }
    const row = parseRow(line);
    if (!row) continue;
    const section = out.sections[out.sections.length - 1];
    if (!section && row.type === 'master') out.master = row;
    else section?.rows.push(row);
  }
  return out.master ? out : undefined;
}

export interface HaproxyReloadResult {
  success: boolean;
  /** HAProxy's startup log of this reload (2.7+), line by line without newlines. */
  log: string[];
  /** Why the result is a failure when HAProxy did not say it itself. */
  reason?: string;
}

/**
 * 2.7+: `reload` on the master CLI answers once the new worker is up (`Success=1`) or the load
 * failed (`Success=0`), then `--` and the startup log.
 */
export async function reloadSynchronously(path: string, hard: boolean): Promise<HaproxyReloadResult> {
  let reply: string;
  try {
    reply = await masterRequest(path, hard ? 'hard-reload' : 'reload');
  } catch (error) {
    return { success: false, log: [], reason: `HAProxy's master CLI: ${(error as Error).message}` };
  }
  const match = /^Success=([01])\n(?:--\n)?/.exec(reply);
  if (!match) return { success: false, log: [], reason: `HAProxy answered the reload with '${reply.trim().split('\n')[0] ?? ''}'` };
  const log = reply.slice(match[0].length).split('\n').filter((l) => l !== '');
  return { success: match[1] === '1', log };
}

/**
 * 2.6 (no synchronous reload): SIGUSR2 to the master, then `show proc` until the re-executed
 * master lists a worker that was not there before (success) or counts one more failed reload.
 * The master's listening socket survives the re-exec, so requests meanwhile just wait.
 */
export async function reloadBySignal(path: string, masterPid: number, timeoutMs = 60_000): Promise<HaproxyReloadResult> {
  const before = parseShowProc(await masterRequest(path, 'show proc').catch(() => ''));
  if (!before?.master) return { success: false, log: [], reason: `HAProxy's master CLI (${path}) does not answer show proc` };
  const reloadsBefore = Number(/^\d+/.exec(before.master.reloads)?.[0] ?? 0);
  const oldWorkers = new Set(before.sections.filter((s) => s.title.endsWith('workers')).flatMap((s) => s.rows.map((r) => r.pid)));
  process.kill(masterPid, 'SIGUSR2');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await sleep(50);
    const now = parseShowProc(await masterRequest(path, 'show proc', 5_000).catch(() => ''));
    if (!now?.master) continue;
    const [reloads, failed] = (now.master.reloads.match(/\d+/g) ?? []).map(Number);
    if ((reloads ?? 0) <= reloadsBefore) continue;
    if ((failed ?? 0) > 0) return { success: false, log: [] };
    const workers = now.sections.find((s) => s.title === 'workers')?.rows ?? [];
    if (workers.some((w) => !oldWorkers.has(w.pid))) return { success: true, log: [] };
  }
  return { success: false, log: [], reason: `HAProxy did not finish its reload within ${timeoutMs} ms` };
}
