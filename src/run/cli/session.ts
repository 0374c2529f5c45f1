/**
 * One master CLI session as hpm-run answers it: pure text in, text out, as HAProxy 2.6's master
 * CLI answers (plus `hard-reload` and `show proc json`); `show proc` and the reloads come from
 * the supervisor through `MasterCliHandlers`. Behind a proxy (./proxy.ts) it answers only those.
 */
import type { ProcSnapshot } from '../show-proc.js';
import { formatShowProc, formatShowProcJson } from '../show-proc.js';
import type { ReloadGate } from './reload-gate.js';
import { usageMessage } from './help-texts.js';

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

/** The master's prompt in interactive mode (its own, not a worker's `<pid>> `). */
export const MASTER_PROMPT = 'master> ';

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
  /** The connection must close after this output (`quit`, a reload). */
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
   * Runs one request line (commands chained with `;`) and says what to send back. As HAProxy's
   * master, the session stays open after a line (the client may send more; it ends with `quit`,
   * a reload, the client's end of input or the idle timeout); `prompt: false` (a command run
   * inside a proxied line) leaves the prompt to the caller.
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
      if (result.close) return { output: this.prompt && !result.ended && withPrompt ? output + MASTER_PROMPT : output, close: true };
    }
    if (this.prompt && withPrompt) return { output: output + MASTER_PROMPT, close: false };
    return { output, close: false };
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
