/**
 * HAProxy's log line layout (haproxy.md §0, 2.4+): `[LEVEL]<pad to 10> (<pid>) : <message>\n`
 * on stderr. Every hpm-run line goes through one Logger so a reload can capture its own lines
 * (the master CLI prints them after `Success=1` / `--`).
 */
import { writeSync } from 'node:fs';

export type LogLevel = 'NOTICE' | 'WARNING' | 'ALERT';

/** `[NOTICE]   (123) : text` (no newline). */
export function formatLogLine(level: LogLevel, pid: number, message: string): string {
  return `${`[${level}]`.padEnd(10)} (${pid}) : ${message}`;
}

/** Writes all of `text` to a fd, retrying on EAGAIN (non-blocking pipes) and ignoring EPIPE. */
export function writeAllSync(fd: number, text: string): void {
  let buffer = Buffer.from(text);
  for (let attempts = 0; buffer.length > 0 && attempts < 10_000; attempts++) {
    try {
      const written = writeSync(fd, buffer);
      buffer = buffer.subarray(written);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      return; // EPIPE, EBADF...: the reader is gone; never crash the supervisor for a log line
    }
  }
}

export interface Capture {
  readonly lines: string[];
  end(): string[];
}

export class Logger {
  private listeners = new Set<(line: string) => void>();

  constructor(
    /** The pid shown in the prefix (hpm-run's own, like the master's). */
    readonly pid: number = process.pid,
    private readonly write: (text: string) => void = (text) => writeAllSync(2, text),
  ) {}

  notice(message: string): void {
    this.log('NOTICE', message);
  }
  warning(message: string): void {
    this.log('WARNING', message);
  }
  alert(message: string): void {
    this.log('ALERT', message);
  }

  /** A line logged on behalf of another process (a program child before exec). */
  log(level: LogLevel, message: string, pid: number = this.pid): void {
    const line = formatLogLine(level, pid, message);
    this.write(`${line}\n`);
    for (const listener of this.listeners) listener(line);
  }

  onLine(listener: (line: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Collects every line logged from now until `end()`. */
  capture(): Capture {
    const lines: string[] = [];
    const off = this.onLine((line) => lines.push(line));
    return {
      lines,
      end() {
        off();
        return lines;
      },
    };
  }
}
