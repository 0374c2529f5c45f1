/**
 * hpm-run's master CLI (`-S <path>`): HAProxy's master CLI text protocol on a unix socket.
 *
 * Two parts, kept apart: `MasterCliSession` interprets command lines (pure text in, text out, as
 * HAProxy 2.6's master CLI answers them, plus `hard-reload` and `show proc json`), and
 * `ControlSocket` owns the socket file (mode 0600, refuses a live socket, removes a stale one).
 * The supervisor plugs in through `MasterCliHandlers`.
 */
import { chmodSync, chownSync, existsSync, lstatSync, unlinkSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { ProxySession } from './cli/proxy.js';
import type { ReloadGate } from './cli/reload-gate.js';
import { formatShowProc, formatShowProcJson, type ProcSnapshot } from './show-proc.js';

export interface ReloadOutcome {
  success: boolean;
  /** The log lines this reload printed (without their line ends). */
  logLines: string[];
}

/** What the master CLI needs from the supervisor. */
export interface MasterCliHandlers {
  /** The version hpm-run reports (`show version`, master row of `show proc`). */
  version: string;
  snapshot(): ProcSnapshot;
  /** Runs one reload to its end; `hard` stops old instances with SIGTERM instead of SIGUSR1. */
  reload(hard: boolean): Promise<ReloadOutcome>;
  /**
   * The path of HAProxy's own master CLI (--haproxy, --haproxy-socket) while it runs: the
   * socket then proxies every command line to it except `show proc` and the reloads.
   */
  upstream?(): string | undefined;
  /** `show proc [args]` in the layout of the HAProxy version run, with its real rows. */
  showProc?(args: string[]): Promise<string>;
  /** Holds proxied requests and HAProxy's reload apart. */
  reloadGate?: ReloadGate;
}

type Level = 'user' | 'operator' | 'admin';
const LEVEL_RANK: Record<Level, number> = { user: 0, operator: 1, admin: 2 };

interface Keyword {
  words: string[];
  usage: string;
  /** false: never proposed for a mistyped command. */
  suggest?: boolean;
}

function usage(command: string, text: string): string {
  return `${command.padEnd(40)}: ${text}`;
}

/**
 * The commands `help` lists, in HAProxy's registration order (the order matters for ties in the
 * fuzzy matching of unknown commands). 2.6's list, plus `hard-reload` (2.9+).
 */
const KEYWORDS: readonly Keyword[] = [
  { words: ['show', 'cli', 'level'], usage: usage('show cli level', 'display the level of the current CLI session') },
  { words: ['show', 'cli', 'sockets'], usage: usage('show cli sockets', 'dump list of cli sockets') },
  { words: ['show', 'version'], usage: usage('show version', 'show version of the current process') },
  { words: ['operator'], usage: usage('operator', 'lower the level of the current CLI session to operator') },
  { words: ['user'], usage: usage('user', 'lower the level of the current CLI session to user') },
  { words: ['@<relative', 'pid>'], usage: usage('@<relative pid>', 'send a command to the <relative pid> process') },
  { words: ['@!<pid>'], usage: usage('@!<pid>', 'send a command to the <pid> process') },
  { words: ['@master'], usage: usage('@master', 'send a command to the master process') },
  { words: ['show', 'proc'], usage: usage('show proc', 'show processes status') },
  { words: ['reload'], usage: usage('reload', 'reload haproxy') },
  // hpm-run's addition (HAProxy 2.9+ has it too): listed by help, never offered as a suggestion,
  // so that the suggestions stay those of 2.6.
  { words: ['hard-reload'], usage: usage('hard-reload', 'reload with SIGTERM to the old instances (-st)'), suggest: false },
];

const ALWAYS_LISTED =
  '  help [<command>]                        : list matching or all commands\n' +
  '  prompt                                  : toggle interactive mode with prompt\n' +
  '  quit                                    : disconnect\n';

const MAX_MATCHES = 5;
const PROMPT = 'master> ';

/** HAProxy's word fingerprint: counts of letter-class bigrams (tools.c update_word_fingerprint). */
function updateFingerprint(fp: Uint8Array, word: string): void {
  const classOf = (c: string): number => {
    const lower = c.toLowerCase();
    if (lower >= 'a' && lower <= 'z' && lower.length === 1) return lower.charCodeAt(0) - 96;
    if (c >= '0' && c <= '9') return 27;
    return 28;
  };
  let from = 28;
  for (const c of Buffer.from(word, 'utf8').toString('latin1')) {
    const to = classOf(c);
    fp[32 * from + to] = (fp[32 * from + to]! + 1) & 0xff;
    from = to;
  }
  fp[32 * from + 28] = (fp[32 * from + 28]! + 1) & 0xff;
}

function fingerprintDistance(a: Uint8Array, b: Uint8Array): number {
  let dist = 0;
  for (let i = 0; i < 1024; i++) dist += Math.abs(a[i]! - b[i]!);
  return dist;
}

/** The reply HAProxy gives to `help [...]` and to unknown commands (cli.c cli_gen_usage_msg). */
export function usageMessage(args: string[], isHelp: boolean): string {
  if (isHelp) args = args.slice(1);
  let length = 0;
  for (const kw of KEYWORDS) {
    for (let i = 0; i < kw.words.length; i++) {
      if (args[i] === undefined || args[i] === '' || kw.words[i] !== args[i]) break;
      length = Math.max(length, i + 1);
    }
  }
  let out: string;
  if (isHelp) out = 'The following commands are valid at this level:\n';
  else if (length === 0 && (args[0] === undefined || args[0] === '')) out = 'Unknown command. Please enter one of the following commands only:\n';
  else out = 'Unknown command, but maybe one of the following ones is a better match:\n';

  const prefixMatches = (kw: Keyword): boolean => {
    for (let i = 0; i < length; i++) if (kw.words[i] !== args[i]) return false;
    return true;
  };
  const matches: { kw: Keyword; dist: number }[] = [];
  if (args[length] !== undefined && args[length] !== '') {
    for (const kw of KEYWORDS) {
      if (kw.suggest === false || !prefixMatches(kw)) continue;
      const wordSig = new Uint8Array(1024);
      const listSig = new Uint8Array(1024);
      let total = 0;
      for (let i = length; i < args.length && args[i]; i++) {
        updateFingerprint(wordSig, args[i]!);
        total += Buffer.byteLength(args[i]!);
      }
      for (let i = length; i < kw.words.length; i++) {
        updateFingerprint(listSig, kw.words[i]!);
        total += Buffer.byteLength(kw.words[i]!);
      }
      const dist = fingerprintDistance(wordSig, listSig);
      const worst = matches.length < MAX_MATCHES ? Infinity : matches[MAX_MATCHES - 1]!.dist;
      if (dist < Math.trunc((5 * total) / 2) && dist < worst) {
        // Insert after the entries of equal distance, as HAProxy's insertion does.
        let at = matches.length;
        while (at > 0 && matches[at - 1]!.dist > dist) at--;
        matches.splice(at, 0, { kw, dist });
        if (matches.length > MAX_MATCHES) matches.pop();
      }
    }
  }
  let entries: Keyword[];
  if (matches.length > 0) {
    const best = matches[0]!.dist;
    entries = [];
    for (const m of matches) {
      if (m.dist > Math.trunc((5 * best) / 2)) break;
      entries.push(m.kw);
    }
  } else {
    entries = KEYWORDS.filter(prefixMatches);
  }
  entries.sort((a, b) => (a.usage < b.usage ? -1 : a.usage > b.usage ? 1 : 0));
  for (const kw of entries) out += `  ${kw.usage}\n`;
  return out + ALWAYS_LISTED;
}

/** Splits a request line into commands on unescaped `;`. */
export function splitCommands(line: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) {
      current += c + line[i + 1];
      i++;
    } else if (c === ';') {
      out.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  out.push(current);
  return out;
}

/** Splits one command into words on blanks; a backslash keeps the next character literally. */
export function splitWords(command: string): string[] {
  const words: string[] = [];
  let i = 0;
  const blank = (c: string | undefined) => c === ' ' || c === '\t';
  while (blank(command[i])) i++;
  while (i < command.length) {
    let word = '';
    while (i < command.length && !blank(command[i])) {
      if (command[i] === '\\' && i + 1 < command.length) {
        word += command[i + 1];
        i += 2;
      } else {
        word += command[i];
        i++;
      }
    }
    words.push(word);
    while (blank(command[i])) i++;
  }
  return words;
}

export interface LineResult {
  output: string;
  /** The connection must close after this output (non-interactive mode, `quit`, a reload). */
  close: boolean;
  /** Closed by a reload: its reply is the last thing sent, no prompt follows. */
  ended?: boolean;
}

/** One client connection's state: level and interactive mode. */
export class MasterCliSession {
  private level: Level = 'admin';
  private prompt = false;

  constructor(private readonly handlers: MasterCliHandlers) {}

  get interactive(): boolean {
    return this.prompt;
  }

  /** `operator` / `user` seen on the way to HAProxy (never raises the level). */
  lowerLevel(level: 'operator' | 'user'): void {
    if (LEVEL_RANK[level] <= LEVEL_RANK[this.level]) this.level = level;
  }

  /** `prompt [n|i|p|...]` seen on the way to HAProxy: no argument toggles (all versions). */
  setPrompt(arg: string | undefined): void {
    if (arg === undefined || arg === '') this.prompt = !this.prompt;
    else if (arg === 'n') this.prompt = false;
    else if (arg === 'i' || arg === 'p') this.prompt = true;
  }

  /** Commands that bring a fresh HAProxy session to this one's level, `;`-terminated. */
  levelPrefix(): string {
    return this.level === 'admin' ? '' : `${this.level};`;
  }

  /**
   * Runs one request line (commands chained with `;`) and says what to send back. Without a
   * proxy, the session closes after the line unless interactive; `prompt: false` (a command
   * run inside a proxied line) leaves prompt and closing to the caller.
   */
  async runLine(rawLine: string, options: { prompt?: boolean } = {}): Promise<LineResult> {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const withPrompt = options.prompt ?? true;
    let output = '';
    const commands = splitCommands(line);
    for (const command of commands) {
      const result = await this.runCommand(command);
      output += result.output;
      // In interactive mode HAProxy still prints the prompt after `quit`.
      if (result.close) return { output: this.prompt && !result.ended && withPrompt ? output + PROMPT : output, close: true };
    }
    if (!withPrompt) return { output, close: false };
    if (this.prompt) return { output: output + PROMPT, close: false };
    return { output, close: true };
  }

  private async runCommand(command: string): Promise<LineResult> {
    let args = splitWords(command);
    const first = args[0] ?? '';
    if (first.startsWith('@')) {
      // No HAProxy to route to: HAProxy's own answer for a process it does not have.
      // `@0` is the master itself (relative pid 0), as in HAProxy.
      if (first !== '@master' && first !== '@0') return { output: `Can't find the target PID matching the prefix '${first}'\n`, close: false };
      args = args.slice(1);
      if (args.length === 0) return { output: '', close: false };
    }
    const [a0 = '', a1, a2] = args;
    if (this.prompt && a0 === '' && args.length === 0 && command.trim() === '') return { output: '', close: false };
    switch (a0) {
      case 'quit':
        return { output: '', close: true };
      case 'prompt':
        this.prompt = !this.prompt;
        return { output: '', close: false };
      case 'operator':
      case 'user':
        if (LEVEL_RANK[a0] > LEVEL_RANK[this.level]) return { output: 'Permission denied!\n', close: false };
        this.level = a0;
        return { output: '', close: false };
      case 'help':
        return { output: usageMessage(args, true) + '\n', close: false };
      case 'reload':
      case 'hard-reload':
        return this.reload(a0 === 'hard-reload');
    }
    if (a0 === 'show' && a1 === 'proc') {
      if (args[2] !== 'json' && this.handlers.showProc) return { output: await this.handlers.showProc(args.slice(2)), close: false };
      const snapshot = this.handlers.snapshot();
      return { output: args[2] === 'json' ? formatShowProcJson(snapshot) + '\n' : formatShowProc(snapshot), close: false };
    }
    if (a0 === 'show' && a1 === 'version') return { output: `${this.handlers.version}\n\n`, close: false };
    if (a0 === 'show' && a1 === 'cli' && a2 === 'level') return { output: `${this.level}\n\n`, close: false };
    // hpm-run has no CLI socket list to give; 2.6's master prints an empty reply too.
    if (a0 === 'show' && a1 === 'cli' && a2 === 'sockets') return { output: '\n', close: false };
    return { output: usageMessage(args, false) + '\n', close: false };
  }

  private async reload(hard: boolean): Promise<LineResult> {
    if (LEVEL_RANK[this.level] < LEVEL_RANK.operator) return { output: 'Permission denied\n\n', close: false };
    const outcome = await this.handlers.reload(hard);
    const lines = outcome.logLines.map((l) => l + '\n').join('');
    // As in HAProxy 2.7+, the reload ends the session: its reply is the last thing sent.
    return { output: `Success=${outcome.success ? 1 : 0}\n--\n${lines}`, close: true, ended: true };
  }
}

export interface ControlSocketOptions {
  /** File mode of the socket (default 0600). */
  mode?: number;
  uid?: number;
  gid?: number;
  /** Close a connection idle for this long (default 10 s, HAProxy's CLI default). */
  idleTimeoutMs?: number;
}

/** sockaddr_un's sun_path holds 108 bytes, the last one a NUL. */
const MAX_SOCKET_PATH_BYTES = 107;

/**
 * `-S` argument: `[unix@]<path>[,mode,<octal>][,uid,<n>][,gid,<n>]`. Everything that can be
 * checked before anything starts is: a bad mode, a path the kernel cannot bind, a missing
 * directory.
 */
export function parseControlSocketArg(arg: string): { path: string; options: ControlSocketOptions } {
  const [address = '', ...rest] = arg.split(',');
  if (/^(abns|ipv4|ipv6|udp|sockpair|fd|stdin)@/.test(address) || /^[^/]*:\d+$/.test(address)) {
    throw new Error(`-S: '${address}': hpm-run's master CLI listens on unix sockets only (give a path)`);
  }
  const path = address.startsWith('unix@') ? address.slice(5) : address;
  if (path === '') throw new Error(`-S: missing socket path in '${arg}'`);
  const bytes = Buffer.byteLength(path);
  if (bytes > MAX_SOCKET_PATH_BYTES) throw new Error(`-S: socket path too long (${bytes} bytes, unix sockets take at most ${MAX_SOCKET_PATH_BYTES}): ${path}`);
  const dir = dirname(resolvePath(path));
  if (!existsSync(dir)) throw new Error(`-S ${path}: directory ${dir} does not exist`);
  const options: ControlSocketOptions = {};
  for (let i = 0; i < rest.length; i += 2) {
    const key = rest[i];
    const value = rest[i + 1];
    if (key !== 'mode' && key !== 'uid' && key !== 'gid') throw new Error(`-S: unknown option '${key}' (known: mode, uid, gid)`);
    if (key === 'mode') {
      if (value === undefined || !/^[0-7]{1,4}$/.test(value)) throw new Error(`-S: mode '${value ?? ''}' is not an octal file mode (e.g. 600, 660)`);
      options.mode = parseInt(value, 8) & 0o777;
    } else {
      if (value === undefined || !/^\d+$/.test(value)) throw new Error(`-S: option '${key}' needs a numeric value`);
      if (key === 'uid') options.uid = Number(value);
      else options.gid = Number(value);
    }
  }
  return { path, options };
}

/** What programs see in HAPROXY_MASTER_CLI, as HAProxy sets it. */
export function masterCliEnvValue(path: string): string {
  return `unix@${path}`;
}

/** True when something accepts connections on `path`. */
function socketIsLive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection({ path });
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

const MAX_LINE = 64 * 1024;

export class ControlSocket {
  private readonly connections = new Set<Socket>();
  private inode?: number;

  private constructor(
    readonly path: string,
    private readonly server: Server,
  ) {}

  /**
   * Listens on `path`. Refuses (throws) when another process answers on it, removes a stale
   * socket file left by a dead one, never removes anything that is not a socket.
   */
  static async listen(path: string, handlers: MasterCliHandlers, options: ControlSocketOptions = {}): Promise<ControlSocket> {
    let existing;
    try {
      existing = lstatSync(path);
    } catch {
      existing = undefined;
    }
    if (existing) {
      if (!existing.isSocket()) throw new Error(`control socket ${path}: a file that is not a socket is in the way`);
      if (await socketIsLive(path)) throw new Error(`control socket ${path} is in use by another process (is another hpm-run running?)`);
      unlinkSync(path);
    }
    // Half-open: a client may shut its side down before the (asynchronous) reply is written.
    const server = createServer({ allowHalfOpen: true });
    const socket = new ControlSocket(path, server);
    server.on('connection', (conn) => socket.serve(conn, handlers, options.idleTimeoutMs ?? 10_000));
    // The socket must never exist with looser permissions than asked, even for an instant: the
    // umask is narrowed around listen() only, which binds synchronously (no other file of this
    // process can be created meanwhile), and restored before anything else runs.
    const mode = options.mode ?? 0o600;
    const listening = new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.once('listening', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const previousUmask = process.umask(0o777 & ~mode);
    try {
      server.listen(path);
    } finally {
      process.umask(previousUmask);
    }
    try {
      await listening;
      chmodSync(path, mode);
      if (options.uid !== undefined || options.gid !== undefined) chownSync(path, options.uid ?? -1, options.gid ?? -1);
      socket.inode = lstatSync(path).ino;
    } catch (error) {
      await socket.close();
      throw new Error(`control socket ${path}: ${(error as Error).message}`);
    }
    return socket;
  }

  private serve(conn: Socket, handlers: MasterCliHandlers, idleTimeoutMs: number): void {
    this.connections.add(conn);
    conn.on('close', () => this.connections.delete(conn));
    conn.on('error', () => conn.destroy());
    conn.setTimeout(idleTimeoutMs, () => conn.destroy());
    const session = new MasterCliSession(handlers);
    const upstream = handlers.upstream;
    const proxy = upstream ? new ProxySession(conn, () => upstream(), session, handlers.reloadGate) : undefined;
    if (proxy) conn.on('close', () => proxy.clientGone());
    let pending = Buffer.alloc(0);
    let busy = false;
    let closing = false;
    let clientDone = false;
    const done = () => closing || conn.destroyed || (proxy?.done ?? false);
    // Lines are run one at a time, in order; a reply may take a while (a reload).
    const pump = async (): Promise<void> => {
      if (busy || done()) return;
      busy = true;
      try {
        if (proxy) {
          const last = pending.lastIndexOf(0x0a);
          if (last >= 0) {
            const lines = pending.subarray(0, last).toString('utf8').split('\n');
            pending = pending.subarray(last + 1);
            await proxy.runLines(lines);
          }
        }
        for (let nl = pending.indexOf(0x0a); nl >= 0 && !done(); nl = pending.indexOf(0x0a)) {
          const line = pending.subarray(0, nl).toString('utf8');
          pending = pending.subarray(nl + 1);
          const result = await session.runLine(line);
          if (conn.destroyed) return;
          if (result.close) {
            closing = true;
            conn.end(result.output);
          } else {
            conn.write(result.output);
          }
        }
        if (!done() && pending.length > MAX_LINE) {
          closing = true;
          conn.destroy();
        }
        // A request without its final newline is ignored, as HAProxy does; the client is done.
        if (!done() && clientDone) {
          closing = true;
          if (proxy) await proxy.clientEnded();
          else conn.end();
        }
      } finally {
        busy = false;
      }
    };
    conn.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      void pump();
    });
    conn.on('end', () => {
      clientDone = true;
      void pump();
    });
  }

  /** Stops listening, drops the clients and removes the socket file (if it is still ours). */
  async close(): Promise<void> {
    for (const conn of this.connections) conn.destroy();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
    try {
      if (this.inode !== undefined && lstatSync(this.path).ino === this.inode) unlinkSync(this.path);
    } catch {
      // already gone
    }
  }
}
