/**
 * A fake systemd notify socket for tests: a unix datagram socket bound by a small perl
 * process (Node cannot bind one), each datagram reported as a hex line.
 */
import type { ChildProcess } from 'node:child_process';
import { ProcessTracker, waitFor } from './helpers.js';

const RECEIVER = String.raw`
use Socket; $| = 1;
my $path = shift; my $addr = $path; $addr =~ s/^@/\0/;
socket(my $s, PF_UNIX, SOCK_DGRAM, 0) or die "socket: $!";
bind($s, pack_sockaddr_un($addr)) or die "bind: $!";
print "bound\n";
while (defined(recv($s, my $m, 65536, 0))) { print unpack('H*', $m), "\n"; }
`;

export class NotifyReceiver {
  readonly messages: string[] = [];
  private readonly child: ChildProcess;
  private bound = false;

  constructor(
    readonly path: string,
    tracker: ProcessTracker,
  ) {
    this.child = tracker.spawn('perl', ['-e', RECEIVER, path]);
    let buffer = '';
    this.child.stdout!.setEncoding('latin1');
    this.child.stdout!.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line === 'bound') this.bound = true;
        else this.messages.push(Buffer.from(line, 'hex').toString('utf8'));
      }
    });
  }

  ready(): Promise<true> {
    return waitFor('the notify receiver to bind', () => this.bound || undefined);
  }

  /** The first line of each message (READY=1, RELOADING=1, STOPPING=1...). */
  kinds(): string[] {
    return this.messages.map((m) => m.split('\n')[0]!);
  }
}
