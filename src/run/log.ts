/**
 * HAProxy's log line layout (haproxy.md §0, 2.4+): `[LEVEL]<pad to 10> (<pid>) : <message>\n`
 * on stderr. Every hpm-run line goes through one Logger so a reload can capture its own lines
 * (the master CLI prints them after `Success=1` / `--`, always in the 2.4+ layout).
 * `--log-format` changes what stderr gets: `haproxy-2.3` is the 2.0-2.3 layout
 * (`[NOTICE] 324/184322 (3330) : ...`: day of the year counted from 0, then HHMMSS, local
 * time, as HAProxy's print_message() writes it), `json` one object per line.
 */
import { writeSync } from 'node:fs';

export type LogLevel = 'NOTICE' | 'WARNING' | 'ALERT';
export type LogFormat = 'haproxy' | 'haproxy-2.3' | 'json';
export const LOG_FORMATS: readonly LogFormat[] = ['haproxy', 'haproxy-2.3', 'json'];

const two = (n: number): string => String(n).padStart(2, '0');

/** `%03d/%02d%02d%02d` of tm_yday (0 = 1 January), tm_hour, tm_min, tm_sec in local time. */
export function haproxy23Date(date: Date): string {
  const dayOfYear = Math.round((new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime() - new Date(date.getFullYear(), 0, 1).getTime()) / 86_400_000);
  return `${String(dayOfYear).padStart(3, '0')}/${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
}

/** A line in the chosen `--log-format` (no newline). */
export function formatLogLineAs(format: LogFormat, level: LogLevel, pid: number, message: string, date: Date = new Date()): string {
  switch (format) {
    case 'haproxy':
      return formatLogLine(level, pid, message);
    case 'haproxy-2.3':
      return `[${level}] ${haproxy23Date(date)} (${pid}) : ${message}`;
    case 'json':
      return JSON.stringify({ time: date.toISOString(), level, pid, message });
  }
}

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
    /** What stderr gets (`--log-format`); listeners and captures always get the 2.4+ layout. */
    readonly format: LogFormat = 'haproxy',
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
    this.write(`${this.format === 'haproxy' ? line : formatLogLineAs(this.format, level, pid, message)}\n`);
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
