/**
 * The texts of HAProxy 2.6's master CLI that hpm-run answers itself without HAProxy: `help` and
 * the reply to an unknown command, with HAProxy's fuzzy suggestions (cli.c cli_gen_usage_msg).
 */
interface Keyword {
  words: string[];
  usage: string;
  /** false: never proposed for a mistyped command. */
  suggest?: boolean;
}

function usage(command: string, text: string): string {
  return `${command.padEnd(40)}: ${text}`;
}

/**
 * The commands `help` lists, in HAProxy's registration order (the order matters for ties in the
 * fuzzy matching of unknown commands). 2.6's list, plus `hard-reload` (2.9+).
 */
const KEYWORDS: readonly Keyword[] = [
  { words: ['show', 'cli', 'level'], usage: usage('show cli level', 'display the level of the current CLI session') },
  { words: ['show', 'cli', 'sockets'], usage: usage('show cli sockets', 'dump list of cli sockets') },
  { words: ['show', 'version'], usage: usage('show version', 'show version of the current process') },
  { words: ['operator'], usage: usage('operator', 'lower the level of the current CLI session to operator') },
  { words: ['user'], usage: usage('user', 'lower the level of the current CLI session to user') },
  { words: ['@<relative', 'pid>'], usage: usage('@<relative pid>', 'send a command to the <relative pid> process') },
  { words: ['@!<pid>'], usage: usage('@!<pid>', 'send a command to the <pid> process') },
  { words: ['@master'], usage: usage('@master', 'send a command to the master process') },
  { words: ['show', 'proc'], usage: usage('show proc', 'show processes status') },
  { words: ['reload'], usage: usage('reload', 'reload haproxy') },
  // hpm-run's addition (HAProxy 2.9+ has it too): listed by help, never offered as a suggestion,
  // so that the suggestions stay those of 2.6.
  { words: ['hard-reload'], usage: usage('hard-reload', 'reload with SIGTERM to the old instances (-st)'), suggest: false },
];

const ALWAYS_LISTED =
  '  help [<command>]                        : list matching or all commands\n' +
  '  prompt                                  : toggle interactive mode with prompt\n' +
  '  quit                                    : disconnect\n';

const MAX_MATCHES = 5;

/** HAProxy's word fingerprint: counts of letter-class bigrams (tools.c update_word_fingerprint). */
function updateFingerprint(fp: Uint8Array, word: string): void {
  const classOf = (c: string): number => {
    const lower = c.toLowerCase();
    if (lower >= 'a' && lower <= 'z' && lower.length === 1) return lower.charCodeAt(0) - 96;
    if (c >= '0' && c <= '9') return 27;
    return 28;
  };
  let from = 28;
  for (const c of Buffer.from(word, 'utf8').toString('latin1')) {
    const to = classOf(c);
    fp[32 * from + to] = (fp[32 * from + to]! + 1) & 0xff;
    from = to;
  }
  fp[32 * from + 28] = (fp[32 * from + 28]! + 1) & 0xff;
}

function fingerprintDistance(a: Uint8Array, b: Uint8Array): number {
  let dist = 0;
  for (let i = 0; i < 1024; i++) dist += Math.abs(a[i]! - b[i]!);
  return dist;
}

/** The reply HAProxy gives to `help [...]` and to unknown commands (cli.c cli_gen_usage_msg). */
export function usageMessage(args: string[], isHelp: boolean): string {
  if (isHelp) args = args.slice(1);
  let length = 0;
  for (const kw of KEYWORDS) {
    for (let i = 0; i < kw.words.length; i++) {
      if (args[i] === undefined || args[i] === '' || kw.words[i] !== args[i]) break;
      length = Math.max(length, i + 1);
    }
  }
  let out: string;
  if (isHelp) out = 'The following commands are valid at this level:\n';
  else if (length === 0 && (args[0] === undefined || args[0] === '')) out = 'Unknown command. Please enter one of the following commands only:\n';
  else out = 'Unknown command, but maybe one of the following ones is a better match:\n';

  const prefixMatches = (kw: Keyword): boolean => {
    for (let i = 0; i < length; i++) if (kw.words[i] !== args[i]) return false;
    return true;
  };
  const matches: { kw: Keyword; dist: number }[] = [];
  if (args[length] !== undefined && args[length] !== '') {
    for (const kw of KEYWORDS) {
      if (kw.suggest === false || !prefixMatches(kw)) continue;
      const wordSig = new Uint8Array(1024);
      const listSig = new Uint8Array(1024);
      let total = 0;
      for (let i = length; i < args.length && args[i]; i++) {
        updateFingerprint(wordSig, args[i]!);
        total += Buffer.byteLength(args[i]!);
      }
      for (let i = length; i < kw.words.length; i++) {
        updateFingerprint(listSig, kw.words[i]!);
        total += Buffer.byteLength(kw.words[i]!);
      }
      const dist = fingerprintDistance(wordSig, listSig);
      const worst = matches.length < MAX_MATCHES ? Infinity : matches[MAX_MATCHES - 1]!.dist;
      if (dist < Math.trunc((5 * total) / 2) && dist < worst) {
        // Insert after the entries of equal distance, as HAProxy's insertion does.
        let at = matches.length;
        while (at > 0 && matches[at - 1]!.dist > dist) at--;
        matches.splice(at, 0, { kw, dist });
        if (matches.length > MAX_MATCHES) matches.pop();
      }
    }
  }
  let entries: Keyword[];
  if (matches.length > 0) {
    const best = matches[0]!.dist;
    entries = [];
    for (const m of matches) {
      if (m.dist > Math.trunc((5 * best) / 2)) break;
      entries.push(m.kw);
    }
  } else {
    entries = KEYWORDS.filter(prefixMatches);
  }
  entries.sort((a, b) => (a.usage < b.usage ? -1 : a.usage > b.usage ? 1 : 0));
  for (const kw of entries) out += `  ${kw.usage}\n`;
  return out + ALWAYS_LISTED;
}
