/**
 * The fork server: a small Perl program (perl-base is Essential on Debian/Ubuntu) that does what
 * Node cannot (docs/run.md, "Why a fork server"): PR_SET_PDEATHSIG in each program after its
 * credentials change, PR_SET_CHILD_SUBREAPER with waitpid(-1) so the orphans of programs are
 * adopted and reaped (hpm-run as PID 1), SIGKILL to every process group it started when hpm-run
 * dies (its end of fd 3 closes, even on SIGKILL), and cheap batched forks (one write for 200).
 * Only fds 0-2 reach a program (the server closes what it inherited once, at its start, and its
 * own fds are close-on-exec). In each child: setsid, stdout/stderr redirections, setgid, supplementary groups reduced to that gid (checked: a failure ends
 * the start), setuid, then execvp, reporting the exact errno of a failed step.
 *
 * Protocol (one line each, fields separated by TAB or space, strings hex-encoded):
 *   hpm-run -> fd 3: ENV <envHex,...>              (the environment of the SPAWNs that follow)
 *                    SPAWN <id> <uid|-1> <gid|-1> <stdoutPathHex|-> <stderrPathHex|-> <argvHex,...> <cwdHex|-> <umask|-> <R|->
 *                                                   (R: report the exec outcome, R or F; -: a failure only, F)
 *                    ADOPTED <signal number>       (signal every adopted orphan, its group too)
 *                    NOTIFY <socketHex> <messageHex>  (one systemd notify datagram)
 *   fd 4 -> hpm-run: S <id> <pid>                   (forked; exec pending)
 *                    F <pid> <exec|gid|groups|uid|cwd> <textHex> (it could not exec; always before its X)
 *                    R <pid>                          (it did exec; SPAWN ... R only)
 *                    E <id> <errorTextHex>          (fork itself failed)
 *                    X <pid> <exitCode> <signal>    (a child was reaped; orphans too)
 *                    A <pid>:<commHex>,...          (the adopted orphans ADOPTED signalled)
 *                    N <errorTextHex|->             (NOTIFY's outcome: - = sent)
 */
export const FORKSERVER_SCRIPT = String.raw`
use strict; no warnings;
use POSIX ();
use Fcntl qw(F_GETFD F_SETFD F_GETFL F_SETFL FD_CLOEXEC O_WRONLY O_NONBLOCK);
$0 = 'hpm-run forkserver';
# prctl has no Perl wrapper: its number per architecture, else syscall.ph when installed.
# (setgroups needs none: Perl's own $) assignment calls it.)
my %PRCTL = (x86_64 => 157, aarch64 => 167, riscv64 => 167, i686 => 172, i386 => 172, armv7l => 172, ppc64le => 171, s390x => 172);
my $SYS_prctl = $PRCTL{(POSIX::uname())[4]};
if (!defined $SYS_prctl) { eval { require 'syscall.ph'; $SYS_prctl = &SYS_prctl; }; }
syscall($SYS_prctl, 36, 1, 0, 0, 0) if defined $SYS_prctl;   # PR_SET_CHILD_SUBREAPER
my $parent = $$;
open(my $cmd, '<&=', 3) or POSIX::_exit(70);
open(my $out, '>&=', 4) or POSIX::_exit(70);
for my $fh ($cmd, $out) { my $f = fcntl($fh, F_GETFD, 0); fcntl($fh, F_SETFD, $f | FD_CLOEXEC); }
# Only fds 0-2 reach a program. What was inherited from whoever started hpm-run is closed here,
# once; every fd this server opens afterwards is close-on-exec (Perl sets it above $^F = 2), so
# children need not list and close fds one by one (200 forks in a batch hold 200 status pipes).
close_inherited_fds(3, 4);
# Node starts us with every disposition at default. These are blocked here, not ignored: a child
# then only empties its mask before exec (exec resets CHLD's handler), where an ignored signal
# would stay ignored in the program unless reset one by one.
my $held = POSIX::SigSet->new(POSIX::SIGINT(), POSIX::SIGTERM(), POSIX::SIGHUP(), POSIX::SIGUSR1(), POSIX::SIGUSR2(), POSIX::SIGQUIT(), POSIX::SIGPIPE(), POSIX::SIGTTOU(), POSIX::SIGTTIN());
POSIX::sigprocmask(POSIX::SIG_BLOCK(), $held);
my $chld = 0;
# SIGCHLD also writes to a pipe that select() watches: a child ending just before select() is
# entered (Perl runs handlers between ops) would otherwise wait for select's timeout (0.5 s).
pipe(my $wake_r, my $wake_w) or POSIX::_exit(70);
for my $fh ($wake_r, $wake_w) { my $f = fcntl($fh, F_GETFL, 0); fcntl($fh, F_SETFL, $f | O_NONBLOCK); }
$SIG{CHLD} = sub { $chld = 1; syswrite($wake_w, 'x') };
my %groups;   # pgid => leader still alive (1) or gone (0)
my %status;   # pid => [exec status pipe, bytes read]: children whose exec outcome is awaited
my $buf = '';  # commands read from fd 3, not yet carried out
# The other children write a failure to one shared pipe instead of a pipe of their own: a fork
# copies every open fd, so 200 status pipes held open during a batch made each fork slower than
# the last (16 ms of the 130 that 200 forks took).
pipe(my $fail_r, my $fail_w) or POSIX::_exit(70);
{ my $f = fcntl($fail_r, F_GETFL, 0); fcntl($fail_r, F_SETFL, $f | O_NONBLOCK); }
my $failures = '';
# Made once: each fork pays for the server's memory, so per-fork work and garbage stay small.
my $all_signals = POSIX::SigSet->new(); $all_signals->fillset();
my $saved_mask = POSIX::SigSet->new();
my $no_signals = POSIX::SigSet->new();

sub hex_of { return unpack('H*', $_[0]) }
sub from_hex { return pack('H*', $_[0]) }
# Reports are queued and written together once per pass of the main loop (and before anything
# that blocks): one write, and one wake-up of hpm-run, for a batch of 200 forks, not 200.
my $reports = '';
sub report { $reports .= "$_[0]\n" }
sub flush_reports {
  while (length $reports) {
    my $n = syswrite($out, $reports);
    if (!defined $n) { next if $!{EINTR} || $!{EAGAIN}; POSIX::_exit(0) }
    substr($reports, 0, $n) = '';
  }
}
# The shared pipe's failures: lines 'F <pid> <step> <textHex>', each written whole (< PIPE_BUF).
sub read_failures {
  while (1) {
    my $n = sysread($fail_r, $failures, 4096, length $failures);
    next if !defined $n && $!{EINTR};
    last if !$n;
  }
  while ((my $i = index($failures, "\n")) >= 0) { report(substr($failures, 0, $i)); substr($failures, 0, $i + 1) = '' }
}
sub reap {
  $chld = 0;
  while ((my $pid = waitpid(-1, POSIX::WNOHANG())) > 0) {
    my $st = $?;
    my ($code, $sig) = POSIX::WIFSIGNALED($st) ? (0, POSIX::WTERMSIG($st)) : (POSIX::WEXITSTATUS($st), 0);
    $groups{$pid} = 0 if exists $groups{$pid};
    # Its exec failure (if any) is reported before its exit: written before it exited, it is in a pipe now.
    if (exists $status{$pid}) { read_status($pid, 1) } else { read_failures() }
    report("X $pid $code $sig");
  }
  for my $pgid (keys %groups) { delete $groups{$pgid} if !$groups{$pgid} && !kill(0, -$pgid) }
}
sub child {
  my ($wr, $uid, $gid, $stdout, $stderr, $argv, $cwd, $umask) = @_;
  my $fail = sub { syswrite($wr, "F $$ $_[0] " . hex_of($_[1]) . "\n"); POSIX::_exit(1) };
  POSIX::setsid();
  POSIX::sigprocmask(POSIX::SIG_SETMASK(), $no_signals);
  for my $redirect ([$stdout, 1], [$stderr, 2]) {
    next if $redirect->[0] eq '-';
    my $fd = POSIX::open(from_hex($redirect->[0]), O_WRONLY);
    $fail->('exec', "$!") if !defined $fd;
    POSIX::dup2($fd, $redirect->[1]); POSIX::close($fd);
  }
  if ($uid >= 0 || $gid >= 0) {
    if ($gid >= 0) { defined POSIX::setgid($gid) or $fail->('gid', "$!") }
    # Supplementary groups are never inherited: Perl's $) assignment sets the egid and calls
    # setgroups() with the list after it (here the program's own gid only), ignoring its result,
    # so the outcome is checked: any other group left is a failed start, never a silent one.
    my $g = POSIX::getgid();
    $! = 0;
    $) = "$g $g";
    my $error = "$!";
    my (undef, @left) = split ' ', $);
    $fail->('groups', length $error ? $error : 'groups left: ' . join(' ', @left)) if grep { $_ != $g } @left;
    if ($uid >= 0) { defined POSIX::setuid($uid) or $fail->('uid', "$!") }
  }
  # After the credentials change (which clears it): die with the fork server.
  syscall($SYS_prctl, 1, 9, 0, 0, 0) if defined $SYS_prctl;    # PR_SET_PDEATHSIG SIGKILL
  POSIX::_exit(1) if getppid() != $parent;
  # As the program's user: a directory it cannot enter is its failure, reported like exec's.
  if (defined $cwd && $cwd ne '-') { chdir(from_hex($cwd)) or $fail->('cwd', "$!") }
  umask(0 + $umask) if defined $umask && $umask ne '-';
  exec { $argv->[0] } @$argv;
  $fail->('exec', "$!");
}
# hpm-run may have inherited any fd (a lock, a socket) from whoever started it: all but 0-2 and
# the two kept go (run once, at the start, before this server opens anything).
sub close_inherited_fds {
  my %keep = map { $_ => 1 } @_;
  my @fds;
  if (opendir(my $dir, '/proc/self/fd')) { @fds = grep { /^\d+$/ } readdir($dir); my $own = fileno($dir); closedir($dir); @fds = grep { $_ != $own } @fds }
  else { @fds = (3 .. (POSIX::sysconf(POSIX::_SC_OPEN_MAX()) || 1024) - 1) }
  for my $fd (@fds) { POSIX::close($fd) if $fd > 2 && !$keep{$fd} }
}
# Orphans re-parented to us (we are their subreaper) that are not program leaders: daemons a
# program left behind. They belong to hpm-run: signalled (with their group) when it stops.
sub adopted {
  my ($signal) = @_;
  my @found;
  for my $task (glob "/proc/$$/task/*/children") {
    open(my $fh, '<', $task) or next; my $list = <$fh>; close $fh;
    for my $pid (split ' ', ($list // '')) {
      next if exists $groups{$pid} || exists $status{$pid};
      my $state = '';
      if (open(my $st, '<', "/proc/$pid/stat")) { ($state) = (<$st> // '') =~ /\)\s+(\S)/; close $st }
      next if $state eq 'Z' || $state eq '';   # dead already: reaped at the next pass
      my $comm = '';
      if (open(my $c, '<', "/proc/$pid/comm")) { $comm = <$c> // ''; chomp $comm; close $c }
      if ($signal > 0) {
        kill($signal, -$pid) if getpgrp($pid) == $pid;
        kill($signal, $pid);
        kill('CONT', $pid) if $signal != 9;
      }
      push @found, "$pid:" . hex_of($comm);
    }
  }
  report('A ' . join(',', @found));
}
# One systemd notify datagram (Node has no unix datagram sockets): sent from this long-lived
# process instead of a new helper process per message.
sub notify {
  my ($path, $msg) = (from_hex($_[0] // ''), from_hex($_[1] // ''));
  $path =~ s/^@/\0/;
  my $s;
  # Socket is loaded on the first datagram only: its ~1 MB would otherwise slow every fork.
  my $ok = eval { require Socket; 1 } && socket($s, Socket::PF_UNIX(), Socket::SOCK_DGRAM(), 0) && defined(send($s, $msg, 0, Socket::pack_sockaddr_un($path)));
  report('N ' . ($ok ? '-' : hex_of("$!")));
  close $s if $s;
}
# ENV becomes the server's own environment, which its children inherit (the server runs
# nothing else): one copy per ENV rather than one in each child. None until the first ENV.
%ENV = ();
sub set_env {
  my %env;
  for my $kv (map { from_hex($_) } grep { length } split /,/, $_[0], -1) {
    my ($k, $v) = split /=/, $kv, 2; $env{$k} = $v if defined $v && length $k;
  }
  %ENV = %env;
}
sub spawn {
  my ($id, $uid, $gid, $stdout, $stderr, $argvhex, $cwd, $umask, $outcome) = @_;
  my @argv = map { from_hex($_) } split /,/, $argvhex, -1;
  # A status pipe of its own when its exec is awaited: its outcome was asked for, or its output
  # paths (FIFOs) may be unlinked only once it has opened them.
  my $own = ($outcome // '') eq 'R' || $stdout ne '-' || $stderr ne '-';
  # (pipe() reopens the handles it is given: it must get fresh ones, never $fail_w.)
  my ($rd, $wr);
  if (!$own) { $wr = $fail_w }
  elsif (!pipe($rd, $wr)) { report("E $id " . hex_of("$!")); return }
  # Signals stay blocked from fork until the child has emptied its mask: a SIGTERM sent in
  # between stays pending, then acts on the child with its default action.
  POSIX::sigprocmask(POSIX::SIG_BLOCK(), $all_signals, $saved_mask);
  my $pid = fork();
  POSIX::sigprocmask(POSIX::SIG_SETMASK(), $saved_mask) if !defined $pid || $pid != 0;
  if (!defined $pid) { report("E $id " . hex_of("$!")); if ($own) { close $rd; close $wr } return }
  if ($pid == 0) { close $cmd; close $out; child($wr, $uid, $gid, $stdout, $stderr, \@argv, $cwd, $umask); POSIX::_exit(1) }
  $groups{$pid} = 1;
  if (!$own) { report("S $id $pid"); return }
  close $wr;
  my $flags = fcntl($rd, F_GETFL, 0); fcntl($rd, F_SETFL, $flags | O_NONBLOCK);
  $status{$pid} = [$rd, ''];
  if ($stdout ne '-' || $stderr ne '-') {
    # Output paths (FIFOs): report the fork only once the child has opened them and exec'd,
    # so whoever created them may unlink them when told the program started.
    flush_reports();
    await_exec($pid);
    report("S $id $pid");
    flush_reports();
    finish_status($pid);
    return;
  }
  report("S $id $pid");   # the exec status is read in the main loop: forks do not wait for execs
}
# The child's exec status pipe: data = why it did not exec; EOF = it did (or died).
# Returns true once EOF is reached (all of it read).
sub drain_status {
  my ($pid, $block) = @_;
  my $st = $status{$pid} or return 0;
  while (1) {
    my $n = sysread($st->[0], $st->[1], 4096, length $st->[1]);
    if (!defined $n) { next if $!{EINTR}; return 0 if $!{EAGAIN} && !$block; return 1 }
    return 1 if $n == 0;
    return 0 if !$block;
  }
}
# Waits for that EOF while watching hpm-run's end of fd 3: when hpm-run is gone, so are the FIFOs'
# readers, and a child opening one for writing would wait forever (with this server in here).
sub await_exec {
  my ($pid) = @_;
  my $st = $status{$pid} or return;
  while (1) {
    my $rin = ''; vec($rin, fileno($st->[0]), 1) = 1; vec($rin, fileno($cmd), 1) = 1;
    next if select(my $rout = $rin, undef, undef, undef) <= 0;   # EINTR: a child ended
    if (vec($rout, fileno($cmd), 1)) {
      my $n = sysread($cmd, $buf, 65536, length $buf);   # commands wait in $buf for the main loop
      shutdown_all() if defined $n && $n == 0;
    }
    return if vec($rout, fileno($st->[0]), 1) && drain_status($pid, 0);
  }
}
sub finish_status {
  my ($pid) = @_;
  my $st = delete $status{$pid} or return;
  close $st->[0];
  my $failure = $st->[1];
  chomp $failure;
  report(length $failure ? $failure : "R $pid");
}
sub read_status { my ($pid, $block) = @_; finish_status($pid) if drain_status($pid, $block) }
sub shutdown_all {
  # A daemon whose parent dies while we kill is re-parented to us (the subreaper) after we read
  # our children: kill and reap again until no child is left, or it would outlive us under init.
  for my $round (1 .. 300) {
    kill('KILL', -$_) for keys %groups;
    my $children = 0;
    for my $task (glob "/proc/$$/task/*/children") {
      open(my $fh, '<', $task) or next; my $list = <$fh>; close $fh;
      for (split ' ', ($list // '')) { kill('KILL', $_); $children++ }
    }
    reap();
    last if !$children && waitpid(-1, POSIX::WNOHANG()) == -1;
    select(undef, undef, undef, 0.01);
  }
  flush_reports();
  POSIX::_exit(0);
}
while (1) {
  reap() if $chld;
  flush_reports();
  my $rin = ''; vec($rin, fileno($cmd), 1) = 1; vec($rin, fileno($wake_r), 1) = 1;
  vec($rin, fileno($fail_r), 1) = 1;
  vec($rin, fileno($_->[0]), 1) = 1 for values %status;
  my $ready = select(my $rout = $rin, undef, undef, 0.5);
  sysread($wake_r, my $drained, 4096) if $ready > 0 && vec($rout, fileno($wake_r), 1);
  reap();
  next if $ready <= 0;
  read_failures() if vec($rout, fileno($fail_r), 1);
  for my $pid (keys %status) { read_status($pid, 0) if $status{$pid} && vec($rout, fileno($status{$pid}[0]), 1) }
  next if !vec($rout, fileno($cmd), 1);
  my $n = sysread($cmd, $buf, 65536, length $buf);
  if (!defined $n) { next if $!{EINTR} || $!{EAGAIN}; last }
  last if $n == 0;
  while ((my $i = index($buf, "\n")) >= 0) {
    my $line = substr($buf, 0, $i); substr($buf, 0, $i + 1) = '';
    my @f = split /\t/, $line, -1;
    my $op = shift @f;
    if ($op eq 'SPAWN') { spawn(@f) } elsif ($op eq 'ENV') { set_env($f[0] // '') }
    elsif ($op eq 'ADOPTED') { adopted($f[0] // 0) } elsif ($op eq 'NOTIFY') { notify(@f) }
  }
}
shutdown_all();
`;
