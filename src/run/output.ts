/**
 * `--output inherit|prefix|json`. `inherit` (HAProxy's way) lets programs write straight to hpm-run's
 * stdout/stderr. `prefix` reads each program's stdout and stderr and writes every line as
 * `name | line` on hpm-run's stdout (resp. stderr), the name padded to the longest program name
 * and coloured when that stream is a terminal.
 *
 * Bytes, not text: lines are cut at `\n` only, so binary output passes through untouched. A
 * partial line waits for its newline; at the end of the stream it is written with a `\n`
 * added. A line longer than 64 KiB is cut: the rest continues on lines marked `name + `
 * instead of `name | ` (drop the `\n` before a `+` line to get the exact bytes back).
 *
 * `json` (for log shippers) writes one JSON object per line on hpm-run's stdout, both streams:
 * `{"time", "program", "pid", "stream", "line"}` (time: when hpm-run read it; line: without its
 * newline, decoded as UTF-8). Lines read before the fork is confirmed wait for their pid.
 *
 * The supervisor hands programs FIFOs (docs/run.md, `output` hook): this module creates them,
 * opens their read ends before the fork, and keeps a write end of its own until the program has
 * opened its side, so an early read never sees end-of-file.
 */
import { execFileSync } from 'node:child_process';
import type { SupervisorEventSource } from './core/events.js';
import { closeSync, constants, mkdtempSync, openSync, rmSync, unlinkSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { ChalkInstance } from 'chalk';
import { colorLevelFor } from '../color-level.js';
import { Logger } from './log.js';

export type OutputMode = 'inherit' | 'prefix' | 'json';

/** `--output` when given; else prefix when stdout is a terminal (hpm-run.md, Operations). */
export function resolveOutputMode(flag: string | undefined, stdoutIsTTY: boolean): OutputMode {
  if (flag === undefined) return stdoutIsTTY ? 'prefix' : 'inherit';
  if (flag === 'inherit' || flag === 'prefix' || flag === 'json') return flag;
  throw new Error(`--output: expected 'inherit', 'prefix' or 'json', got '${flag}'`);
}

export const MAX_LINE_BYTES = 64 * 1024;
const NEWLINE = 0x0a;
const COLORS = ['cyan', 'yellow', 'green', 'magenta', 'blue', 'red', 'cyanBright', 'yellowBright', 'greenBright', 'magentaBright'] as const;

const LF = Buffer.from('\n');

/**
 * Cuts one byte stream into lines at `\n`, handing each over without its newline (as the pieces
 * it arrived in). A partial line waits for its newline; one that grows to MAX_LINE_BYTES first
 * is handed over in pieces of that size, `cut` telling that the line goes on after the piece.
 */
export class LineSplitter {
  private partial: Buffer[] = [];
  private partialBytes = 0;

  constructor(private readonly onLine: (parts: Buffer[], cut: boolean) => void) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
      this.partial.push(chunk.subarray(start, nl));
      this.flush(false);
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.partial.push(chunk.subarray(start));
      this.partialBytes += chunk.length - start;
      while (this.partialBytes >= MAX_LINE_BYTES) {
        const all = Buffer.concat(this.partial);
        this.partial = [all.subarray(0, MAX_LINE_BYTES)];
        this.flush(true);
        const rest = all.subarray(MAX_LINE_BYTES);
        if (rest.length > 0) this.partial = [rest];
        this.partialBytes = rest.length;
      }
    }
  }

  /** End of the stream: the partial line, if any, is handed over. */
  end(): void {
    if (this.partialBytes > 0) this.flush(false);
  }

  private flush(cut: boolean): void {
    const parts = this.partial;
    this.partial = [];
    this.partialBytes = 0;
    this.onLine(parts, cut);
  }
}

/** Cuts one byte stream into lines and writes them with a prefix. */
export class LinePrefixer {
  private out: Buffer[] = [];
  /** The next line continues one cut at MAX_LINE_BYTES. */
  private continued = false;
  private readonly lines = new LineSplitter((parts, cut) => {
    this.out.push(this.prefix(!this.continued), ...parts, LF);
    this.continued = cut;
  });

  constructor(
    /** The prefix for a line: `first` is false for the continuation of a cut line. */
    private readonly prefix: (first: boolean) => Buffer,
    private readonly write: (chunk: Buffer) => boolean,
  ) {}

  /** Returns false when the destination asks to wait for 'drain'. */
  push(chunk: Buffer): boolean {
    this.lines.push(chunk);
    return this.writeOut();
  }

  /** End of the stream: a partial line is written, ended by a newline. */
  end(): boolean {
    this.lines.end();
    return this.writeOut();
  }

  private writeOut(): boolean {
    if (this.out.length === 0) return true;
    const out = Buffer.concat(this.out);
    this.out = [];
    return this.write(out);
  }
}

/** Cuts one byte stream into lines and writes each as a JSON object (`--output json`). */
export class JsonLineWriter {
  private cutLines: Buffer[] = [];
  private readonly lines = new LineSplitter((parts) => this.cutLines.push(Buffer.concat(parts)));
  private pid?: number;
  private held: { time: string; line: string }[] = [];

  constructor(
    private readonly program: string,
    private readonly stream: 'stdout' | 'stderr',
    private readonly write: (chunk: Buffer) => boolean,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The program's pid is known: lines held until now are written. */
  setPid(pid: number): void {
    this.pid = pid;
    if (this.held.length > 0) this.write(Buffer.from(this.held.splice(0).map((l) => this.json(l)).join('')));
  }

  push(chunk: Buffer): boolean {
    this.lines.push(chunk);
    return this.emit(this.cutLines.splice(0));
  }

  /** End of the stream: a partial line is written; lines still waiting for a pid go with null. */
  end(): boolean {
    this.lines.end();
    const ok = this.emit(this.cutLines.splice(0));
    if (this.pid === undefined && this.held.length > 0) return this.write(Buffer.from(this.held.splice(0).map((l) => this.json(l)).join('')));
    return ok;
  }

  private emit(lines: Buffer[]): boolean {
    if (lines.length === 0) return true;
    const time = this.now().toISOString();
    const entries = lines.map((bytes) => ({ time, line: bytes.toString('utf8') }));
    if (this.pid === undefined) {
      this.held.push(...entries);
      return true;
    }
    return this.write(Buffer.from(entries.map((e) => this.json(e)).join('')));
  }

  private json(entry: { time: string; line: string }): string {
    return `${JSON.stringify({ time: entry.time, program: this.program, pid: this.pid ?? null, stream: this.stream, line: entry.line })}\n`;
  }
}

export interface PrefixedOutputOptions {
  stdout?: Writable;
  stderr?: Writable;
  /** Colour the prefixes (default: each destination's isTTY). */
  color?: boolean;
  /** Told once per destination that cannot be written any more (default: a WARNING on stderr). */
  onWriteError?: (kind: 'stdout' | 'stderr', error: Error) => void;
  /** `--output json`: JSON objects on stdout instead of prefixed lines. */
  json?: boolean;
}

interface PendingFifo {
  paths: string[];
  holders: number[];
  /** `--output json`: told the pid once the program runs. */
  jsonWriters: JsonLineWriter[];
}

type Paint = (color: (typeof COLORS)[number], text: string) => string;
const plain: Paint = (_color, text) => text;
const painterOf = (chalk: ChalkInstance | undefined): Paint => (chalk ? (color, text) => chalk[color](text) : plain);

export class PrefixedOutput {
  private readonly stdout: Writable;
  private readonly stderr: Writable;
  private readonly paintOut: Paint;
  private readonly paintErr: Paint;
  private width = 0;
  private readonly colorIndex = new Map<string, number>();
  private readonly active = new Set<Promise<void>>();
  private readonly readers = new Set<Readable>();
  private readonly pending = new Map<string, PendingFifo[]>();
  private fifoDir?: string;
  private fifoSeq = 0;
  /** Destinations whose reader is gone (EPIPE...): what goes there is dropped from then on. */
  private readonly broken = new Set<Writable>();
  /** Sources paused until a destination drains: resumed when it breaks instead. */
  private readonly waitingForDrain = new Map<Writable, Set<() => void>>();
  private readonly json: boolean;

  /** chalk is loaded only when a destination is coloured (a terminal), off hpm-run's start path otherwise. */
  static async create(options: PrefixedOutputOptions = {}): Promise<PrefixedOutput> {
    const stdout = options.stdout ?? process.stdout;
    const stderr = options.stderr ?? process.stderr;
    // The same rule as hpm-lint's (NO_COLOR, FORCE_COLOR, TERM=dumb, a terminal).
    const colored = (stream: Writable): boolean => !options.json && (options.color ?? colorLevelFor(process.env, (stream as { isTTY?: boolean }).isTTY === true) > 0);
    const chalk = colored(stdout) || colored(stderr) ? (await import('chalk')).Chalk : undefined;
    const painter = (stream: Writable): Paint => painterOf(chalk && colored(stream) ? new chalk({ level: 1 }) : undefined);
    return new PrefixedOutput({ ...options, stdout, stderr }, painter(stdout), painter(stderr));
  }

  private constructor(options: PrefixedOutputOptions, paintOut: Paint, paintErr: Paint) {
    this.paintOut = paintOut;
    this.paintErr = paintErr;
    this.json = options.json ?? false;
    this.stdout = options.stdout ?? process.stdout;
    this.stderr = options.stderr ?? process.stderr;
    // A supervisor never dies of its output: a reader that goes away costs that output only.
    const onWriteError = options.onWriteError ?? ((kind, error) => new Logger().warning(`hpm-run's ${kind} cannot be written (${(error as NodeJS.ErrnoException).code ?? error.message}): the programs' ${kind} lines are dropped from now on`));
    for (const [kind, stream] of [['stdout', this.stdout], ['stderr', this.stderr]] as const) {
      stream.on('error', (error: Error) => {
        if (this.broken.has(stream)) return;
        this.broken.add(stream);
        onWriteError(kind, error);
        const waiting = this.waitingForDrain.get(stream);
        this.waitingForDrain.delete(stream);
        for (const resume of waiting ?? []) resume();
      });
    }
  }

  /** The program names: prefixes are padded to the longest (call again after a reload). */
  setNames(names: readonly string[]): void {
    for (const name of names) if (!this.colorIndex.has(name)) this.colorIndex.set(name, this.colorIndex.size);
    this.width = Math.max(0, ...names.map((n) => n.length));
  }

  private prefixFor(name: string, paint: Paint): (first: boolean) => Buffer {
    return (first) => {
      const color = COLORS[(this.colorIndex.get(name) ?? 0) % COLORS.length]!;
      return Buffer.from(paint(color, `${name.padEnd(this.width)} ${first ? '|' : '+'}`) + ' ');
    };
  }

  /** Copies one program stream, prefixed, to a destination; resolves at its end. */
  attach(name: string, source: Readable, kind: 'stdout' | 'stderr', jsonWriters?: JsonLineWriter[]): Promise<void> {
    const destination = kind === 'stdout' || this.json ? this.stdout : this.stderr;
    const write = (chunk: Buffer): boolean => (this.broken.has(destination) || destination.destroyed ? true : destination.write(chunk));
    let prefixer: { push(chunk: Buffer): boolean; end(): boolean };
    if (this.json) {
      const writer = new JsonLineWriter(name, kind, write);
      jsonWriters?.push(writer);
      prefixer = writer;
    } else {
      prefixer = new LinePrefixer(this.prefixFor(name, kind === 'stdout' ? this.paintOut : this.paintErr), write);
    }
    this.readers.add(source);
    const done = new Promise<void>((resolve) => {
      const finish = () => {
        source.off('data', onData);
        this.readers.delete(source);
        prefixer.end();
        resolve();
      };
      const onData = (chunk: Buffer) => {
        // Backpressure: never buffer without bound when the destination is slow.
        if (!prefixer.push(chunk)) {
          source.pause();
          const waiting = this.waitingForDrain.get(destination) ?? new Set();
          this.waitingForDrain.set(destination, waiting);
          const resume = () => {
            waiting.delete(resume);
            destination.off('drain', resume);
            source.resume();
          };
          waiting.add(resume);
          destination.once('drain', resume);
        }
      };
      source.on('data', onData);
      source.once('end', finish);
      source.once('close', finish);
      source.once('error', finish);
    });
    this.active.add(done);
    void done.then(() => this.active.delete(done));
    return done;
  }

  /**
   * The supervisor's `output` hook: FIFOs for one program instance, already being read. The
   * read ends exist before the fork, so the program's open() does not block.
   */
  fifosFor(name: string): { stdout: string; stderr: string } {
    // Programs are forked before the supervisor reports its names: learn them here too.
    if (!this.colorIndex.has(name)) this.colorIndex.set(name, this.colorIndex.size);
    this.width = Math.max(this.width, name.length);
    this.fifoDir ??= mkdtempSync(join(tmpdir(), 'hpm-run-output-'));
    const seq = this.fifoSeq++;
    const pending: PendingFifo = { paths: [], holders: [], jsonWriters: [] };
    const paths = { stdout: '', stderr: '' };
    for (const kind of ['stdout', 'stderr'] as const) {
      const path = join(this.fifoDir, `${seq}.${kind}`);
      execFileSync('mkfifo', ['-m', '600', path]);
      const readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
      // Our own writer keeps end-of-file away until the program holds its end.
      pending.holders.push(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
      pending.paths.push(path);
      void this.attach(name, new Socket({ fd: readFd, readable: true, writable: false }), kind, pending.jsonWriters);
      paths[kind] = path;
    }
    const queue = this.pending.get(name) ?? [];
    queue.push(pending);
    this.pending.set(name, queue);
    return paths;
  }

  /** The program instance of `name` started first is running: its FIFOs are open on its side. */
  programStarted(name: string, pid?: number): void {
    const queue = this.pending.get(name);
    const first = queue?.shift();
    if (queue && queue.length === 0) this.pending.delete(name);
    if (first && pid !== undefined) for (const writer of first.jsonWriters) writer.setPid(pid);
    if (first) this.release(first);
  }

  private release(pending: PendingFifo): void {
    for (const fd of pending.holders.splice(0)) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    }
    for (const path of pending.paths.splice(0)) {
      try {
        unlinkSync(path);
      } catch {
        // already gone
      }
    }
  }

  /**
   * Waits until every stream has ended (every byte written), at most `timeoutMs`: a
   * grandchild may keep a pipe open after its program exited. Then stops reading.
   */
  async close(timeoutMs = 2000): Promise<void> {
    for (const queue of this.pending.values()) for (const p of queue) this.release(p);
    this.pending.clear();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.all([...this.active]), timeout]);
    clearTimeout(timer);
    for (const reader of this.readers) reader.destroy();
    await Promise.all([...this.active]);
    if (this.fifoDir) rmSync(this.fifoDir, { recursive: true, force: true });
  }
}

/**
 * Wires prefixed output into the supervisor (whose `output` option must be
 * `(name) => output.fifosFor(name)`): names after the start and each reload, FIFOs released
 * once their program runs.
 */
export function attachPrefixedOutput(supervisor: SupervisorEventSource & { programStates(): { name: string }[] }, output: PrefixedOutput): void {
  const refreshNames = () => output.setNames(supervisor.programStates().map((s) => s.name));
  supervisor.on('ready', refreshNames);
  supervisor.on('reloaded', refreshNames);
  supervisor.on('spawned', (row) => output.programStarted(row.name, row.pid));
}
