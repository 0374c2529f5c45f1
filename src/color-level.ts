/**
 * Whether and how much hpm colours what it writes (hpm-lint's stylish output, hpm-run's program
 * prefixes): NO_COLOR wins (https://no-color.org, when set and not empty), then FORCE_COLOR
 * (0 or false: none; 2, 3: more colours; anything else: basic), else only on a terminal that is
 * not TERM=dumb (it would show the escape sequences as text).
 */
export function colorLevelFor(env: NodeJS.ProcessEnv, isTTY: boolean): 0 | 1 | 2 | 3 {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return 0;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    if (force === '2') return 2;
    if (force === '3') return 3;
    return 1;
  }
  if (env['TERM'] === 'dumb') return 0;
  return isTTY ? 1 : 0;
}
