/**
 * hpm-run's extension keywords for `program` sections (hpm-run.md "Beyond HAProxy"). They are
 * only valid inside `.if defined(HPM_RUN)`, which HAProxy skips.
 */
import { constants } from 'node:os';

export const EXTENSION_KEYWORDS = ['restart', 'stop-signal', 'stop-timeout', 'reload-signal', 'reload-order', 'after', 'ready', 'ready-timeout', 'env', 'cwd', 'umask'] as const;
export type ExtensionKeyword = (typeof EXTENSION_KEYWORDS)[number];

export function isExtensionKeyword(keyword: string): keyword is ExtensionKeyword {
  return (EXTENSION_KEYWORDS as readonly string[]).includes(keyword);
}

export type RestartPolicy = 'never' | 'on-failure' | 'always';
export const RESTART_POLICIES: readonly RestartPolicy[] = ['never', 'on-failure', 'always'];

export interface ProgramExtensions {
  restart?: RestartPolicy;
  /** Signal name as Node knows it, e.g. `SIGTERM`. */
  stopSignal?: NodeJS.Signals;
  stopTimeoutMs?: number;
  /**
   * What a `no option start-on-reload` program gets at a reload: `auto` (SIGUSR1 only when
   * its process catches or ignores it), a signal always, or `none`. Default auto.
   */
  reloadSignal?: ReloadSignal;
  /** `reload-order overlap|stop-first` for start-on-reload programs; default overlap (HAProxy's). */
  reloadOrder?: ReloadOrder;
  /** `after <program>...`: programs (or `haproxy`, the --haproxy child) to wait for; lines accumulate. */
  after?: string[];
  /** `ready tcp|unix|exec|file ...`: when the program counts as ready; default: once forked. */
  ready?: ReadyCheck;
  /** `ready-timeout <time>`; default 30 s. */
  readyTimeoutMs?: number;
  /** `env <NAME> <value>` lines, in order (repeatable: the last one for a name wins). */
  env?: [name: string, value: string][];
  /** Working directory of the program (`cwd <dir>`); default: hpm-run's own. */
  cwd?: string;
  /** `umask <octal>`; default: hpm-run's own. */
  umask?: number;
}

/** Merges one parsed extension line into a program's extensions (`env` accumulates). */
export function mergeExtension(into: ProgramExtensions, value: ProgramExtensions): void {
  const { env, after, ...rest } = value;
  if (env) into.env = [...(into.env ?? []), ...env];
  if (after) into.after = [...(into.after ?? []), ...after];
  Object.assign(into, rest);
}

export type ReloadSignal = 'auto' | 'none' | NodeJS.Signals;
export type ReadyCheck =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'unix'; path: string }
  | { kind: 'exec'; argv: string[] }
  | { kind: 'file'; path: string };
export const DEFAULT_READY_TIMEOUT_MS = 30_000;
/** The name `after` gives the --haproxy child. */
export const HAPROXY_DEPENDENCY = 'haproxy';

/** `host:port` (IPv6 in brackets) -> its parts; undefined when it is not one. */
export function parseTcpAddress(text: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:\s\[\]]+)):(\d{1,5})$/.exec(text);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: m[1] ?? m[2]!, port };
}

export type ReloadOrder = 'overlap' | 'stop-first';
export const RELOAD_ORDERS: readonly ReloadOrder[] = ['overlap', 'stop-first'];

/**
 * A failed parse; `problem` names the failures that have their own lint rule (a signal name
 * that names no signal, a `ready tcp` address that is not one), the others are plain invalid values.
 */
export type ExtensionParse = { ok: true; value: ProgramExtensions } | { ok: false; message: string; hint: string; problem?: 'signal' | 'address' };

/**
 * HAProxy's time format: a number with an optional unit (us, ms, s, m, h, d); a bare number is
 * milliseconds. Returns milliseconds, or undefined when the text is not a time.
 */
export function parseHaproxyTime(text: string): number | undefined {
  const m = /^(\d+)(us|ms|s|m|h|d)?$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? 'ms';
  const factor: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  return n * factor[unit]!;
}

/** `TERM`, `SIGTERM` or `15` -> `SIGTERM`; undefined when it names no signal. */
export function parseSignal(text: string): NodeJS.Signals | undefined {
  const signals = constants.signals as Record<string, number>;
  if (/^\d+$/.test(text)) {
    const found = Object.entries(signals).find(([, n]) => n === Number(text));
    return found?.[0] as NodeJS.Signals | undefined;
  }
  const name = text.toUpperCase().startsWith('SIG') ? text.toUpperCase() : `SIG${text.toUpperCase()}`;
  return name in signals ? (name as NodeJS.Signals) : undefined;
}

export function parseExtension(keyword: string, args: readonly string[]): ExtensionParse {
  const one = (what: string): ExtensionParse | undefined =>
    args.length === 1 ? undefined : { ok: false, message: `'${keyword}' expects exactly one argument (${what}), got ${args.length}`, hint: `${keyword} ${what}` };
  switch (keyword) {
    case 'restart': {
      const bad = one(RESTART_POLICIES.join('|'));
      if (bad) return bad;
      const policy = args[0] as RestartPolicy;
      if (!RESTART_POLICIES.includes(policy)) {
        return { ok: false, message: `unknown restart policy '${args[0]}'`, hint: `use one of: ${RESTART_POLICIES.join(', ')}` };
      }
      return { ok: true, value: { restart: policy } };
    }
    case 'stop-signal': {
      const bad = one('<signal>');
      if (bad) return bad;
      const signal = parseSignal(args[0]!);
      if (!signal) return { ok: false, message: `unknown signal '${args[0]}'`, hint: 'use a signal name such as TERM, INT, QUIT, USR1 or HUP', problem: 'signal' };
      return { ok: true, value: { stopSignal: signal } };
    }
    case 'stop-timeout': {
      const bad = one('<time>');
      if (bad) return bad;
      const ms = parseHaproxyTime(args[0]!);
      if (ms === undefined) return { ok: false, message: `invalid time '${args[0]}'`, hint: "use HAProxy's time format: 500ms, 10s, 2m (a bare number is milliseconds)" };
      return { ok: true, value: { stopTimeoutMs: ms } };
    }
    case 'reload-signal': {
      const bad = one('auto|<signal>|none');
      if (bad) return bad;
      const word = args[0]!;
      if (word === 'auto' || word === 'none') return { ok: true, value: { reloadSignal: word } };
      const signal = parseSignal(word);
      if (!signal) return { ok: false, message: `unknown signal '${word}'`, hint: 'use auto, none, or a signal name such as USR1, HUP or USR2', problem: 'signal' };
      return { ok: true, value: { reloadSignal: signal } };
    }
    case 'reload-order': {
      const bad = one(RELOAD_ORDERS.join('|'));
      if (bad) return bad;
      const order = args[0] as ReloadOrder;
      if (!RELOAD_ORDERS.includes(order)) return { ok: false, message: `unknown reload order '${args[0]}'`, hint: `use one of: ${RELOAD_ORDERS.join(', ')}` };
      return { ok: true, value: { reloadOrder: order } };
    }
    case 'after': {
      if (args.length === 0) return { ok: false, message: "'after' expects at least one program name", hint: 'after <program>... (haproxy: the --haproxy child)' };
      return { ok: true, value: { after: [...args] } };
    }
    case 'ready': {
      const [kind, ...rest] = args;
      const usage = 'ready tcp <host>:<port> | unix <path> | exec <command> [args] | file <path>';
      if (kind === 'exec') {
        if (rest.length === 0) return { ok: false, message: "'ready exec' expects a command", hint: usage };
        return { ok: true, value: { ready: { kind: 'exec', argv: rest } } };
      }
      if (kind !== 'tcp' && kind !== 'unix' && kind !== 'file') return { ok: false, message: kind === undefined ? "'ready' expects a check" : `unknown readiness check '${kind}'`, hint: usage };
      if (rest.length !== 1) return { ok: false, message: `'ready ${kind}' expects exactly one argument, got ${rest.length}`, hint: usage };
      const where = rest[0]!;
      if (kind === 'tcp') {
        const address = parseTcpAddress(where);
        if (!address) return { ok: false, message: `invalid address '${where}'`, hint: 'use <host>:<port>, e.g. 127.0.0.1:8080 or [::1]:8080 (port 1-65535)', problem: 'address' };
        return { ok: true, value: { ready: { kind: 'tcp', ...address } } };
      }
      if (where.length === 0) return { ok: false, message: `'ready ${kind}' expects a path`, hint: usage };
      return { ok: true, value: { ready: { kind, path: where } } };
    }
    case 'ready-timeout': {
      const bad = one('<time>');
      if (bad) return bad;
      const ms = parseHaproxyTime(args[0]!);
      if (ms === undefined || ms <= 0) return { ok: false, message: `invalid time '${args[0]}'`, hint: "use HAProxy's time format: 500ms, 30s, 2m (a bare number is milliseconds)" };
      return { ok: true, value: { readyTimeoutMs: ms } };
    }
    case 'env': {
      if (args.length !== 2) return { ok: false, message: `'env' expects a name and a value, got ${args.length} argument(s)`, hint: 'env NAME "value with spaces"' };
      const [name, value] = args as [string, string];
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return { ok: false, message: `invalid environment variable name '${name}'`, hint: 'use letters, digits and _, not starting with a digit' };
      return { ok: true, value: { env: [[name, value]] } };
    }
    case 'cwd': {
      const bad = one('<dir>');
      if (bad) return bad;
      return { ok: true, value: { cwd: args[0]! } };
    }
    case 'umask': {
      const bad = one('<octal>');
      if (bad) return bad;
      if (!/^[0-7]{1,4}$/.test(args[0]!) || parseInt(args[0]!, 8) > 0o777) return { ok: false, message: `invalid umask '${args[0]}'`, hint: 'use an octal mask such as 022 or 0027' };
      return { ok: true, value: { umask: parseInt(args[0]!, 8) } };
    }
  }
  return { ok: false, message: `unknown extension '${keyword}'`, hint: `known extensions: ${EXTENSION_KEYWORDS.join(', ')}` };
}
