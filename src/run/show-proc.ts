/**
 * `show proc` on the master CLI: the 2.6 text layout byte for byte (haproxy.md §4.1) and a JSON
 * view of the same snapshot. Pure formatting: the caller takes the snapshot of its processes.
 */

/** One process row: a worker (the --haproxy child) or a program instance. */
export interface ProcRow {
  pid: number;
  /** The `<type>` column: `worker` for workers, the program's name for programs. */
  type: string;
  /** Reloads this process has survived. */
  reloads: number;
  /** Start time, in ms since the epoch (Date.now()). */
  startedAt: number;
  /** The `<version>` column; programs show `-`. */
  version?: string;
}

export interface MasterRow {
  pid: number;
  /** Reloads of the master (successful or not). */
  reloads: number;
  /** Failed reloads since the last successful one (`[failed: N]`). */
  failedReloads: number;
  startedAt: number;
  version: string;
}

/**
 * Everything `show proc` prints. Each list is in HAProxy's internal order: the newest entries
 * first (a reload puts the processes it creates in front of those carried over).
 */
export interface ProcSnapshot {
  master: MasterRow;
  workers: ProcRow[];
  oldWorkers: ProcRow[];
  programs: ProcRow[];
  oldPrograms: ProcRow[];
  /** Each configured program's state (starting, running, ready, backoff, stopping, exited, fatal): JSON only. */
  programStates?: { name: string; state: string }[];
}

const COLUMN = 15;

/** printf's `%-15s`: pads by bytes (HAProxy counts bytes), never truncates. */
function pad(text: string, width = COLUMN): string {
  const bytes = Buffer.byteLength(text, 'utf8');
  return bytes >= width ? text : text + ' '.repeat(width - bytes);
}

/** HAProxy's `%dd%02dh%02dm%02ds`. */
export function formatUptime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n: number) => String(n).padStart(2, '0');
  return `${Math.floor(s / 86400)}d${two(Math.floor(s / 3600) % 24)}h${two(Math.floor(s / 60) % 60)}m${two(s % 60)}s`;
}

function uptimeSeconds(startedAt: number, now: number): number {
  return Math.max(0, Math.floor((now - startedAt) / 1000));
}

function row(pid: number, type: string, reloads: string, uptime: string, version: string): string {
  return `${pad(String(pid))} ${pad(type)} ${pad(reloads)} ${pad(uptime)} ${pad(version)}\n`;
}

function processRow(p: ProcRow, now: number): string {
  return row(p.pid, p.type, String(p.reloads), formatUptime(uptimeSeconds(p.startedAt, now)), p.version ?? '-');
}

export const SHOW_PROC_HEADER = `#${pad('<PID>', COLUMN - 1)} ${pad('<type>')} ${pad('<reloads>')} ${pad('<uptime>')} ${pad('<version>')}\n`;

/**
 * The reply of `show proc` as HAProxy 2.6 prints it: header, master row, `# workers` (always),
 * `# old workers` (if any), `# programs` (always, as in 2.0 - 3.0), `# old programs` (if any),
 * then the empty line with which the CLI ends every reply.
 */
export function formatShowProc(snapshot: ProcSnapshot, now = Date.now(), layout: ShowProcLayout = 'classic'): string {
  const { master } = snapshot;
  let out = SHOW_PROC_HEADER;
  out += row(master.pid, 'master', `${master.reloads} [failed: ${master.failedReloads}]`, formatUptime(uptimeSeconds(master.startedAt, now)), master.version);
  out += '# workers\n';
  for (const p of snapshot.workers) out += processRow(p, now);
  if (snapshot.oldWorkers.length > 0) {
    out += '# old workers\n';
    for (const p of snapshot.oldWorkers) out += processRow(p, now);
  }
  return out + programSections(snapshot, now, layout) + '\n';
}

/**
 * `classic`: 2.0 - 3.0, `# programs` always printed; `3.1`: 3.1+, only when a current program
 * exists (haproxy.md §4.2). `# old programs` only when there are some, in both.
 */
export type ShowProcLayout = 'classic' | '3.1';

function programSections(snapshot: Pick<ProcSnapshot, 'programs' | 'oldPrograms'>, now: number, layout: ShowProcLayout): string {
  let out = '';
  if (layout === 'classic' || snapshot.programs.length > 0) {
    out += '# programs\n';
    for (const p of snapshot.programs) out += processRow(p, now);
  }
  if (snapshot.oldPrograms.length > 0) {
    out += '# old programs\n';
    for (const p of snapshot.oldPrograms) out += processRow(p, now);
  }
  return out;
}

/**
 * hpm-run's `show proc` in front of a real HAProxy: HAProxy's own reply (header, master row,
 * workers, in its version's layout, `debug` columns included) with the master's reload counters
 * replaced by hpm-run's (a reload hpm-run refused counts as failed too) and the programs listed
 * as that version's master listed them. Undefined when `haproxyReply` is not a show proc table.
 */
export function mergeShowProc(haproxyReply: string, snapshot: ProcSnapshot, layout: ShowProcLayout, now = Date.now()): string | undefined {
  const lines = haproxyReply.split('\n');
  if (!lines[0]?.startsWith('#<PID>') || lines.length < 2) return undefined;
  const masterMatch = /^(\d+\s+master\s+)(\d+ \[failed: \d+\])(\s+)/.exec(lines[1]!);
  if (!masterMatch) return undefined;
  const { master } = snapshot;
  const counters = `${master.reloads} [failed: ${master.failedReloads}]`;
  let out = `${lines[0]}\n${masterMatch[1]}${pad(counters)} ${lines[1]!.slice(masterMatch[0].length)}\n`;
  let keep = true;
  for (const line of lines.slice(2)) {
    if (line === '') break;
    if (line.startsWith('# ')) keep = line === '# workers' || line === '# old workers';
    if (keep) out += `${line}\n`;
  }
  return out + programSections(snapshot, now, layout) + '\n';
}

interface JsonRow {
  pid: number;
  name?: string;
  reloads: number;
  uptime: string;
  uptimeSeconds: number;
  startedAt: string;
  version?: string;
}

function jsonRow(p: ProcRow, now: number, withName: boolean): JsonRow {
  const seconds = uptimeSeconds(p.startedAt, now);
  const out: JsonRow = { pid: p.pid, reloads: p.reloads, uptime: formatUptime(seconds), uptimeSeconds: seconds, startedAt: new Date(p.startedAt).toISOString() };
  if (withName) out.name = p.type;
  else out.version = p.version;
  return out;
}

/** `show proc json` (hpm-run only): the same snapshot as one JSON document plus a newline. */
export function formatShowProcJson(snapshot: ProcSnapshot, now = Date.now()): string {
  const { master } = snapshot;
  const seconds = uptimeSeconds(master.startedAt, now);
  const doc = {
    master: {
      pid: master.pid,
      reloads: master.reloads,
      failedReloads: master.failedReloads,
      uptime: formatUptime(seconds),
      uptimeSeconds: seconds,
      startedAt: new Date(master.startedAt).toISOString(),
      version: master.version,
    },
    workers: snapshot.workers.map((p) => jsonRow(p, now, false)),
    oldWorkers: snapshot.oldWorkers.map((p) => jsonRow(p, now, false)),
    programs: snapshot.programs.map((p) => jsonRow(p, now, true)),
    oldPrograms: snapshot.oldPrograms.map((p) => jsonRow(p, now, true)),
    ...(snapshot.programStates ? { programStates: snapshot.programStates } : {}),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
