/**
 * hpm-run's master CLI in front of HAProxy's own (--haproxy, --haproxy-socket): every command
 * line goes to HAProxy's master and back byte for byte, streaming both ways (`@N`, `@@N`,
 * `@!pid`, `set severity-output`, `show events -w`, prompt mode, payloads), except the commands
 * hpm-run owns: `show proc` and `reload` / `hard-reload` (see `isOwnedCommand`).
 *
 * One upstream connection per client connection carries the lines without an owned command,
 * so HAProxy keeps its own session state (level, severity, prompt, `@N` mode). A line with an
 * owned command first lets that connection finish (its replies come first), then runs its
 * other commands on fresh upstream connections (carrying the level over) around hpm-run's
 * answers, in order. When HAProxy is not running, the local session answers the line.
 */
import type { Socket } from 'node:net';
import { connectMaster } from '../haproxy/master-client.js';
import type { ReloadGate } from './reload-gate.js';
import type { MasterCliSession } from './session.js';
import { MASTER_PROMPT, splitCommands, splitWords } from './session.js';

/** The commands hpm-run answers itself, HAProxy's master never sees them. */
export function isOwnedCommand(command: string): boolean {
  let words = splitWords(command);
  if (words[0] === '@master') words = words.slice(1);
  const [a0, a1] = words;
  return a0 === 'reload' || a0 === 'hard-reload' || (a0 === 'show' && a1 === 'proc');
}


const stripCr = (line: string) => (line.endsWith('\r') ? line.slice(0, -1) : line);

/** The last command of the last line is `quit`: HAProxy will answer and close. */
function endsWithQuit(bytes: string): boolean {
  const lines = bytes.split('\n').filter((l) => l !== '');
  const commands = splitCommands(stripCr(lines[lines.length - 1] ?? ''));
  return splitWords(commands[commands.length - 1] ?? '').join(' ') === 'quit';
}

export class ProxySession {
  private upstream?: Socket;
  private upstreamClosed?: Promise<void>;
  /** HAProxy closed our upstream by itself (`quit`, its timeout): the client session ends too. */
  private ended = false;
  /** A payload (`<<`) is being forwarded: lines go through untouched until an empty one. */
  private inPayload = false;
  /** In interactive mode, `@<n>` alone makes that process the target of the following lines. */
  private stickyTarget = false;

  constructor(
    private readonly client: Socket,
    private readonly upstreamPath: () => string | undefined,
    private readonly local: MasterCliSession,
    private readonly gate?: ReloadGate,
  ) {}

  get done(): boolean {
    return this.ended;
  }

  /**
   * Runs the complete lines received so far (without their `\n`). Consecutive lines without an
   * owned command go upstream in one write, as the client sent them: HAProxy's replies (its
   * prompts in particular) depend on what it finds already buffered.
   */
  async runLines(lines: string[]): Promise<void> {
    let batch: string[] = [];
    // Tracked once sent: a fresh connection must start from the state before the batch.
    const send = async () => {
      if (batch.length === 0 || this.ended) return;
      await this.forward(batch.map((l) => `${l}\n`).join(''));
      for (const line of batch) this.track(splitCommands(stripCr(line)), line);
      batch = [];
    };
    for (const line of lines) {
      if (this.ended) return;
      if (!this.needsHpmRun(line)) {
        batch.push(line);
        continue;
      }
      await send();
      await this.runLine(line);
    }
    await send();
  }

  /** A line hpm-run must look at: an owned command, or any line while HAProxy is away. */
  private needsHpmRun(line: string): boolean {
    if (!this.upstream && !this.upstreamPath()) return true;
    return !this.inPayload && !this.stickyTarget && splitCommands(stripCr(line)).some(isOwnedCommand);
  }

  /** One line with an owned command (or any line when HAProxy is not running). */
  private async runLine(line: string): Promise<void> {
    if (!this.upstream && !this.upstreamPath()) return this.runLocally(line);
    await this.drainUpstream();
    let run: string[] = [];
    let runPrefix = '';
    const flush = async () => {
      if (run.length === 0) return;
      const text = run.join(';');
      run = [];
      await this.requestOnce(runPrefix + text);
    };
    for (const command of splitCommands(stripCr(line))) {
      if (!isOwnedCommand(command)) {
        const words = splitWords(command);
        if (words[0] === 'quit' && words.length === 1) {
          await flush();
          this.end();
          return;
        }
        // The level the run starts at: later `operator`/`user` in it are HAProxy's to apply.
        if (run.length === 0) runPrefix = this.local.levelPrefix();
        run.push(command);
        this.track([command], command);
        continue;
      }
      await flush();
      const result = await this.local.runLine(command, { prompt: false });
      if (!this.client.destroyed) this.client.write(result.output);
      if (result.close) {
        this.end();
        return;
      }
    }
    await flush();
    if (this.local.interactive && !this.client.destroyed) this.client.write(MASTER_PROMPT);
  }

  /** The client went away: so does its upstream connection. */
  clientGone(): void {
    this.ended = true;
    this.upstream?.destroy();
  }

  /** The client is done sending: HAProxy finishes its replies, then both sides close. */
  async clientEnded(): Promise<void> {
    if (this.upstream) {
      this.upstream.end();
      await this.upstreamClosed;
    }
    this.end();
  }

  private async runLocally(line: string): Promise<void> {
    const result = await this.local.runLine(line);
    if (this.client.destroyed) return;
    if (result.close) {
      this.client.end(result.output);
      this.ended = true;
    } else this.client.write(result.output);
  }

  /** hpm-run's copy of the session state HAProxy keeps, to carry it to a fresh connection. */
  private track(commands: string[], line: string): void {
    if (this.inPayload) {
      if (line === '' || line === '\r') this.inPayload = false;
      return;
    }
    for (const command of commands) {
      const words = splitWords(command);
      const [a0, a1] = words;
      if (a0 === 'operator' || a0 === 'user') this.local.lowerLevel(a0);
      else if (a0 === 'prompt') this.local.setPrompt(a1);
      else if (a0 !== undefined && a0.startsWith('@') && words.length === 1 && this.local.interactive) this.stickyTarget = a0 !== '@master';
    }
    if (/<<\s*$/.test(line)) this.inPayload = true;
  }

  /** Undefined when HAProxy's master does not answer (it stopped): hpm-run answers then. */
  private async openUpstream(path: string, request: boolean): Promise<Socket | undefined> {
    const leave = (await this.gate?.enter()) ?? (() => undefined);
    let upstream: Socket;
    try {
      upstream = await connectMaster(path);
    } catch {
      leave();
      return undefined;
    }
    // Only a request that ends itself (`...;quit`) holds a reload back until it is answered.
    if (request) upstream.once('close', leave);
    else leave();
    this.upstream = upstream;
    // Half-open: our client may still be reading when HAProxy has its request.
    this.upstreamClosed = new Promise((resolve) => {
      upstream.on('close', () => {
        if (this.upstream === upstream) {
          this.upstream = undefined;
          // HAProxy closed (quit, reload, timeout) while the client was still with us.
          if (!this.draining) this.end();
        }
        resolve();
      });
    });
    upstream.on('error', () => upstream.destroy());
    // A fresh connection: HAProxy's session starts as admin, non-interactive. `operator` and
    // `user` print nothing, so they lead the first line; prompt mode is restored by a line of
    // its own whose reply (HAProxy's prompt) the client already had from hpm-run.
    let skip = this.local.interactive ? Buffer.from(MASTER_PROMPT) : undefined;
    upstream.on('data', (chunk: Buffer) => {
      if (skip) {
        const n = Math.min(skip.length, chunk.length);
        skip = n < skip.length ? skip.subarray(n) : undefined;
        chunk = chunk.subarray(n);
      }
      if (chunk.length > 0 && !this.client.destroyed && !this.client.write(chunk)) {
        upstream.pause();
        this.client.once('drain', () => upstream.resume());
      }
    });
    if (this.local.interactive) upstream.write(`${this.local.levelPrefix()}prompt\n`);
    else this.pendingPrefix = this.local.levelPrefix();
    return upstream;
  }

  private draining = false;
  /** Level commands to put before the first line sent on a fresh connection. */
  private pendingPrefix = '';

  private async forward(bytes: string): Promise<void> {
    const path = this.upstreamPath();
    const upstream = this.upstream ?? (path ? await this.openUpstream(path, endsWithQuit(bytes)) : undefined);
    if (!upstream) {
      for (const line of bytes.slice(0, -1).split('\n')) if (!this.ended) await this.runLocally(line);
      return;
    }
    // A stream (`show events -w`) may stay quiet for long: HAProxy's own timeouts rule now.
    this.client.setTimeout(0);
    upstream.write(this.pendingPrefix + bytes);
    this.pendingPrefix = '';
  }

  /** Lets HAProxy answer everything sent on the long-lived connection, then closes it. */
  private async drainUpstream(): Promise<void> {
    const upstream = this.upstream;
    if (!upstream) return;
    this.draining = true;
    upstream.end();
    await this.upstreamClosed;
    this.draining = false;
    this.upstream = undefined;
  }

  /** One request on a fresh connection, its reply copied to the client. */
  private async requestOnce(text: string): Promise<void> {
    const path = this.upstreamPath();
    if (!path) {
      const result = await this.local.runLine(text, { prompt: false });
      if (!this.client.destroyed) this.client.write(result.output);
      return;
    }
    const leave = (await this.gate?.enter()) ?? (() => undefined);
    let conn: Socket;
    try {
      conn = await connectMaster(path);
    } catch {
      leave();
      const result = await this.local.runLine(text, { prompt: false });
      if (!this.client.destroyed) this.client.write(result.output);
      return;
    }
    await new Promise<void>((resolve) => {
      conn.on('data', (chunk: Buffer) => {
        if (!this.client.destroyed) this.client.write(chunk);
      });
      conn.on('error', () => conn.destroy());
      conn.on('close', () => {
        leave();
        resolve();
      });
      conn.end(`${text}\n`);
    });
  }

  private end(): void {
    this.ended = true;
    if (this.upstream) this.upstream.destroy();
    if (!this.client.destroyed) this.client.end();
  }
}
