/**
 * systemd `Type=notify` support (sd_notify), like `haproxy -Ws`: READY=1 with MAINPID once the
 * programs are started, RELOADING=1 with MONOTONIC_USEC when a reload begins, READY=1 when it
 * is over (successful or not), STOPPING=1 when the stop begins.
 *
 * Node's dgram has no unix datagram sockets. Attached to a supervisor, the messages go through
 * its fork server (one long-lived process, a NOTIFY line each); before the fork server exists or
 * after it is gone, each message is sent by a tiny helper process: perl (perl-base is Essential
 * on Debian, and the fork server already needs it) with its core Socket module, or socat when
 * perl is missing. Messages are sent one after the other, in order. Either way the sender is a
 * child of hpm-run, not hpm-run itself, and systemd accepts a datagram under `NotifyAccess=main`
 * only from the main pid: the unit needs `NotifyAccess=all` (docs/systemd/).
 */
import { spawn } from 'node:child_process';
import type { SupervisorEventSource } from './core/events.js';
import { findExecutable } from './launcher.js';

/** Sends one datagram to the notify socket; rejects when it could not be sent. */
export type DatagramSender = (socket: string, message: string) => Promise<void>;

// `@name` is an abstract socket: its address starts with a NUL byte.
const PERL_SENDER = String.raw`
use Socket;
my $path = shift; $path =~ s/^@/\0/;
local $/; my $msg = <STDIN>;
socket(my $s, PF_UNIX, SOCK_DGRAM, 0) or die "socket: $!\n";
defined(send($s, $msg, 0, pack_sockaddr_un($path))) or die "send: $!\n";
`;

function run(command: string, args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} exited with ${signal ?? code}${stderr ? `: ${stderr.trim()}` : ''}`));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/** The default sender: perl if present, else socat. */
export function defaultSender(): DatagramSender {
  const perl = findExecutable('perl');
  if (perl) return (socket, message) => run(perl, ['-e', PERL_SENDER, socket], message);
  const socat = findExecutable('socat');
  if (socat) {
    return (socket, message) => {
      const address = socket.startsWith('@') ? `ABSTRACT-SENDTO:${socket.slice(1)}` : `UNIX-SENDTO:${socket}`;
      return run(socat, ['-u', '-', address], message);
    };
  }
  return () => Promise.reject(new Error('neither perl nor socat is installed'));
}

/** CLOCK_MONOTONIC in microseconds (libuv's hrtime reads that clock on Linux), for MONOTONIC_USEC. */
export function monotonicMicroseconds(): bigint {
  return process.hrtime.bigint() / 1000n;
}

export class SystemdNotifier {
  private queue: Promise<void> = Promise.resolve();
  private readonly send: DatagramSender;
  /** When set and it offers one, the sender to use instead of a helper process per message. */
  private preferred?: () => DatagramSender | undefined;

  constructor(
    readonly socket: string,
    send?: DatagramSender,
    /** Where a failed send is reported (never fatal: systemd may simply not listen). */
    private readonly onError: (error: Error) => void = () => undefined,
  ) {
    this.send = send ?? defaultSender();
    if (send === undefined) this.preferred = () => undefined;
  }

  /** Sends through `sender` whenever it offers one (a notifier built with its own sender keeps it). */
  preferSender(sender: () => DatagramSender | undefined): void {
    if (this.preferred) this.preferred = sender;
  }

  /** Queues a message; messages leave in the order they were queued. */
  notify(message: string): Promise<void> {
    this.queue = this.queue.then(() => {
      const send = this.preferred?.() ?? this.send;
      return send(this.socket, message).catch((error: Error) => this.onError(error));
    });
    return this.queue;
  }

  ready(mainPid: number = process.pid): Promise<void> {
    return this.notify(`READY=1\nMAINPID=${mainPid}\n`);
  }

  reloading(): Promise<void> {
    return this.notify(`RELOADING=1\nMONOTONIC_USEC=${monotonicMicroseconds()}\n`);
  }

  /** After a reload: ready again (also after a failed one: the old processes still serve). */
  reloaded(): Promise<void> {
    return this.notify('READY=1\n');
  }

  stopping(): Promise<void> {
    return this.notify('STOPPING=1\n');
  }

  /** Resolves once every queued message has been sent (or has failed). */
  flush(): Promise<void> {
    return this.queue;
  }
}

/** The notify socket named by the environment, if any (systemd sets NOTIFY_SOCKET). */
export function notifySocketFrom(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const socket = env.NOTIFY_SOCKET;
  return socket && (socket.startsWith('/') || socket.startsWith('@')) ? socket : undefined;
}

/** A copy of `env` without NOTIFY_SOCKET: programs must not speak for hpm-run to systemd. */
export function withoutNotifySocket(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const copy = { ...env };
  delete copy.NOTIFY_SOCKET;
  return copy;
}

/**
 * Sends the notifications at the supervisor's events (docs/run.md: ready, reloading, reloaded,
 * stopping). `ready` comes once no slot is starting (--haproxy: once HAProxy answers too).
 */
export function attachNotifier(
  supervisor: SupervisorEventSource & { datagramSender?(): DatagramSender | undefined },
  notifier: SystemdNotifier,
  mainPid: number = process.pid,
): () => void {
  if (supervisor.datagramSender) notifier.preferSender(() => supervisor.datagramSender!());
  const onReady = () => void notifier.ready(mainPid);
  const onReloading = () => void notifier.reloading();
  const onReloaded = () => void notifier.reloaded();
  const onStopping = () => void notifier.stopping();
  supervisor.on('ready', onReady);
  supervisor.on('reloading', onReloading);
  supervisor.on('reloaded', onReloaded);
  supervisor.on('stopping', onStopping);
  return () => {
    supervisor.off('ready', onReady);
    supervisor.off('reloading', onReloading);
    supervisor.off('reloaded', onReloaded);
    supervisor.off('stopping', onStopping);
  };
}
