/**
 * Program-section configurations for the differential test against `haproxy -c -W` 2.6: every
 * single-file row of haproxy.md §2.2, §2.3, §2.4 and §6.1 (O1-O35, L1-L20), plus valid ones.
 * `differs` says why hpm-lint's verdict is not HAProxy's where HAProxy is wrong or silent.
 */

export type Difference =
  /** HAProxy segfaults (exit 139) instead of reporting: both say invalid, only hpm-lint says why. */
  | 'crash-after-error'
  /** HAProxy silently truncates argv at an empty word and calls the file valid. */
  | 'empty-argument'
  /** HAProxy silently replaces the first command and calls the file valid. */
  | 'duplicate-command'
  /** HAProxy leaves gid 0 and root's groups and calls the file valid; hpm-lint warns (still valid). */
  | 'user-without-group';

export interface DifferentialCase {
  name: string;
  /** The program part; a file made of it must end with LF unless the case is about that. */
  config: string;
  /** Run without -W (and lint without --master-worker). */
  withoutMasterWorker?: boolean;
  differs?: Difference;
  /** Why the row is here, for people reading a failure. */
  note?: string;
}

const P = 'program p1\n';
const CMD = '    command sleep 100\n';

export const DIFFERENTIAL_CASES: DifferentialCase[] = [
  // §6.1 O-rows and §2.2 parse-time messages
  { name: 'O1 minimal program', config: P + CMD },
  { name: 'O1 without -W', config: P + CMD, withoutMasterWorker: true },
  { name: 'O2 no command', config: P },
  { name: 'O3 command without arguments', config: P + '    command\n' },
  { name: 'O4 unknown keyword on the last line', config: P + CMD + '    foo bar\n' },
  { name: 'O5 duplicate name', config: P + CMD + P + CMD },
  { name: 'O6 program without a name', config: 'program\n' + CMD },
  { name: 'O7 program with two names', config: 'program p1 p2\n' + CMD },
  { name: 'O8 unknown user', config: P + CMD + '    user nosuchuser_xyz\n' },
  { name: 'O9 unknown group', config: P + CMD + '    group nosuchgroup_xyz\n' },
  { name: 'O10 second user', config: P + CMD + '    user nobody\n    user daemon\n    group nogroup\n' },
  { name: 'O11 second group', config: P + CMD + '    user nobody\n    group nogroup\n    group daemon\n' },
  { name: 'O12 user without a name', config: P + CMD + '    user\n' },
  { name: 'O12 group without a name', config: P + CMD + '    group\n' },
  { name: 'O13 user with two names', config: P + CMD + '    user nobody extra\n' },
  { name: 'O13 group with two names', config: P + CMD + '    group nogroup extra\n' },
  { name: 'O14 unknown option', config: P + CMD + '    option foo\n' },
  { name: 'O15 option without a name', config: P + CMD + '    option\n' },
  { name: 'O16 no option start-on-reload', config: P + CMD + '    no option start-on-reload\n' },
  { name: 'O17 option start-on-reload extra', config: P + CMD + '    option start-on-reload extra\n' },
  { name: 'O17 no option start-on-reload extra', config: P + CMD + '    no option start-on-reload extra\n' },
  { name: 'O18 no command', config: P + '    no command sleep 100\n' },
  { name: 'O19 default option start-on-reload', config: P + CMD + '    default option start-on-reload\n' },
  { name: 'O21 command path that does not exist', config: P + '    command /nonexistent/binary arg\n' },
  { name: 'O23 two commands', config: P + CMD + '    command sleep 200\n', differs: 'duplicate-command' },
  { name: 'O24 empty word in command', config: P + '    command echo "" after\n', differs: 'empty-argument' },
  { name: 'O24 unset variable in command', config: P + '    command echo "${HPM_LINT_TEST_UNSET}" after\n', differs: 'empty-argument' },
  { name: 'O25 program before global', config: P + CMD + 'global\n    log stdout local0\n' },
  { name: 'O26 scope line', config: '[myscope]\n' + P + CMD },
  { name: 'O27 .if 0 around a program, without -W', config: '.if 0\n' + P + CMD + '.endif\n', withoutMasterWorker: true },
  { name: 'O28 quoted name with a space', config: 'program "my prog"\n' + CMD },
  { name: 'O29 empty name', config: 'program ""\n' + CMD },
  { name: 'O30 command in global', config: 'global\n    command sleep 100\n' },
  { name: 'O31 PROGRAM after a frontend', config: 'frontend fe\n    mode http\nPROGRAM p\n' + CMD },
  { name: 'O32 Command', config: P + '    Command sleep 100\n' },
  { name: 'O34 master-worker in global without -W', config: 'global\n    master-worker\n' + P + CMD, withoutMasterWorker: true },
  { name: 'O35 master-worker bogus', config: 'global\n    master-worker bogus\n' + P + CMD },
  { name: 'user and group', config: P + CMD + '    user nobody\n    group nogroup\n' },
  { name: 'user without group', config: P + CMD + '    user daemon\n', differs: 'user-without-group' },
  { name: 'no user on a known user', config: P + CMD + '    no user nobody\n    group nogroup\n' },
  { name: 'two programs', config: P + CMD + 'program p2\n    command sleep 200\n    no option start-on-reload\n' },
  { name: 'guarded hpm-run extensions', config: P + CMD + '.if defined(HPM_RUN)\n    restart on-failure\n    stop-timeout 30s\n    stop-signal TERM\n.endif\n' },
  { name: 'unguarded extension on the last line', config: P + CMD + '    restart always\n' },
  { name: 'guarded whole program section', config: '.if defined(HPM_RUN)\n' + P + CMD + '    restart always\n.endif\n', withoutMasterWorker: true },
  // §2.3 crash cases (exit 139) and what does not crash
  { name: 'O20 option foo then command', config: P + '    option foo\n' + CMD, differs: 'crash-after-error' },
  { name: 'c27 unknown keyword then command', config: P + '    foo bar\n' + CMD, differs: 'crash-after-error' },
  { name: 'c28 user without a name then command', config: P + '    user\n' + CMD, differs: 'crash-after-error' },
  { name: 'command without arguments then user', config: P + '    command\n    user nobody\n', differs: 'crash-after-error' },
  { name: 'user with two names then command', config: P + '    user nobody extra\n' + CMD, differs: 'crash-after-error' },
  { name: 'default option then command', config: P + '    default option start-on-reload\n' + CMD, differs: 'crash-after-error' },
  { name: 'default user then command', config: P + '    default user nobody\n' + CMD, differs: 'crash-after-error' },
  { name: 'unguarded extension then command', config: P + '    stop-timeout 5s\n' + CMD, differs: 'crash-after-error' },
  { name: 'c30 unknown user then command (no crash)', config: P + '    user nosuchuser_xyz\n' + CMD },
  { name: 'c29 new section after the bad line (no crash)', config: P + '    option foo\nprogram p2\n' + CMD },
  { name: 'skipped .if block after the bad line (no crash)', config: P + CMD + '    option foo\n.if 0\n    foo\n.endif\n    # comment\n\n' },
  // A crash needs a valid program keyword line after the bad one; a second bad line is only reported.
  { name: 'misspelt command then misspelt user (no crash)', config: P + '    comand /bin/true\n    usr haproxy\n' },
  { name: 'misspelt command then user (crashes)', config: P + '    comand /bin/true\n    user nobody\n', differs: 'crash-after-error' },
  { name: 'two unguarded extensions after command (no crash)', config: P + CMD + '    restart on-failure\n    stop-timeout 30s\n' },
  { name: 'unknown keyword then option foo (no crash)', config: P + '    foo\n    option foo\n' },
  { name: 'unknown keyword then user without a name (no crash)', config: P + '    foo\n    user\n' },
  { name: 'unknown keyword then default user (no crash)', config: P + '    foo\n    default user nobody\n' },
  { name: 'unknown keyword then command without a word (no crash)', config: P + '    foo\n    command ""\n' },
  { name: 'unknown keyword then option start-on-reload (crashes)', config: P + '    foo\n    option start-on-reload\n', differs: 'crash-after-error' },
  { name: 'unknown keyword then unknown user (crashes)', config: P + '    foo\n    user nosuchuser_xyz\n', differs: 'crash-after-error' },
  { name: 'two bad lines then command (crashes on the command)', config: P + '    foo\n    bar\n' + CMD, differs: 'crash-after-error' },
  { name: 'no user after the bad line (crashes too)', config: P + CMD + '    foo\n    no user nobody\n', differs: 'crash-after-error' },
  // L-rows: the tokenizer and directives (§1.1-§1.10)
  { name: 'L1 invalid hex escape', config: P + '    command x \\xZZ\n' },
  { name: 'L2 unclosed brace', config: P + '    command echo "${HOME"\n' },
  { name: 'L3 "$1abc"', config: P + '    command echo "$1abc"\n' },
  { name: 'L3 "cost: $"', config: P + '    command echo "cost: $"\n' },
  { name: 'L3 "$(pwd)"', config: P + '    command echo "$(pwd)"\n' },
  { name: 'L4 unmatched double quote', config: P + '    command echo "abc\n' },
  { name: "L4 unmatched single quote", config: P + "    command echo 'abc\n" },
  { name: 'L5 shell default syntax', config: P + '    command echo "${NOPE:-x}"\n' },
  { name: 'L6 bad word expansion', config: P + '    command echo "${MULTI[x]}"\n' },
  { name: 'L7 64 words', config: P + `    command echo ${Array.from({ length: 62 }, (_, i) => `a${i}`).join(' ')}\n` },
  { name: 'L7 65 words', config: P + `    command echo ${Array.from({ length: 63 }, (_, i) => `a${i}`).join(' ')}\n` },
  { name: 'L8 unknown directive', config: P + CMD + '.foo bar\n' },
  { name: 'L9 unterminated .if', config: '.if 1\n' + P + CMD },
  { name: 'L9 lone .endif', config: P + CMD + '.endif\n' },
  { name: 'L9 .else twice', config: '.if 0\n.else\n.else\n.endif\n' + P + CMD },
  { name: 'L9 .elif after .else', config: '.if 0\n.else\n.elif 1\n.endif\n' + P + CMD },
  { name: 'L9 .else with an argument', config: '.if 0\n.else extra\n.endif\n' + P + CMD },
  { name: 'L10 .warning', config: '.warning "w"\n' + P + CMD },
  { name: 'L10 .warning two words', config: '.warning two words\n' + P + CMD },
  { name: '.notice after a program (3.1/3.2: an unknown program keyword)', config: P + CMD + '.notice "hi"\n' },
  { name: '.notice before the first program', config: '.notice "hi"\n' + P + CMD },
  { name: 'unknown directive after a program', config: P + CMD + '.foo\n' },
  { name: 'L11 .alert', config: '.alert "stop here"\n' + P + CMD },
  { name: 'L12 .diag', config: '.diag "m"\n' + P + CMD },
  { name: 'L13 unparsable condition', config: '.if bogus(1)\n.endif\n' + P + CMD },
  { name: 'L13 trailing garbage in condition', config: '.if 1 2\n.endif\n' + P + CMD },
  { name: 'L14 empty condition', config: '.if\n    this is never read\n.endif\n' + P + CMD },
  { name: 'L14 unset variable condition', config: '.if "${HPM_LINT_TEST_UNSET}"\n    never read\n.endif\n' + P + CMD },
  { name: 'L15 no final LF', config: P + '    command sleep 100' },
  { name: 'L16 NUL mid-file', config: P + '    # a\0b\n' + CMD },
  { name: 'L17 CRLF', config: 'program p1\r\n    command sleep 100\r\n' },
  { name: 'L18 20 000-character line', config: P + `    command echo ${'x'.repeat(20_000)}\n` },
  { name: 'L19 60 unknown keywords out of section', config: Array.from({ length: 60 }, (_, i) => `bogus${i}\n`).join('') + P + CMD },
  { name: 'L20 zero-warning and .warning', config: 'global\n    zero-warning\n.warning "w"\n' + P + CMD },
  // Shell syntax and quoting that HAProxy accepts
  { name: 'shell pipe (valid for HAProxy, a warning)', config: P + '    command tail -F /var/log/x | logger\n' },
  { name: 'sh -c', config: P + `    command sh -c 'exec sleep 100 >/dev/null 2>&1'\n` },
  { name: 'variables with defaults', config: 'global\n    setenv PORT 8081\n' + P + '    command echo "${PORT}" "${NOPE-dflt}"\n' },
];
