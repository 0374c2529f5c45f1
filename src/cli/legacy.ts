/**
 * Spellings of earlier releases, rewritten to today's before yargs sees them, each with a
 * deprecation warning: scripts keep working for one release and learn the new spelling.
 */

/** One old flag that took a value: `-f json` once meant `--format json`. */
export interface LegacyValueFlag {
  /** The short flag, e.g. '-f'. */
  flag: string;
  /** The long option it now maps to, e.g. '--format'. */
  replacement: string;
  /** True when the value given shows the old meaning (otherwise the flag keeps its new meaning). */
  isOldMeaning: (value: string) => boolean;
  /** Why the spelling changed, for the warning. */
  reason: string;
}

export function rewriteLegacyArguments(argv: readonly string[], legacy: readonly LegacyValueFlag[], warn: (text: string) => void): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const rule = legacy.find((l) => arg === l.flag || arg.startsWith(`${l.flag}=`));
    const value = rule ? (arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[i + 1]) : undefined;
    if (!rule || value === undefined || !rule.isOldMeaning(value)) {
      out.push(arg);
      continue;
    }
    warn(`${rule.flag} ${value} is deprecated and will be removed in the next release: use ${rule.replacement} ${value} (${rule.reason})`);
    out.push(`${rule.replacement}=${value}`);
    if (!arg.includes('=')) i++;
  }
  return out;
}
