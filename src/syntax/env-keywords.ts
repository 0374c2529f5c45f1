/**
 * `global` setenv/presetenv/unsetenv/resetenv (haproxy.md §1.6, §3.3): what one such line does to
 * an environment. The parser applies them as it reads (later lines are cooked with the result);
 * hpm-run replays them to build its programs' environment.
 */
export const ENV_KEYWORDS: ReadonlySet<string> = new Set(['setenv', 'presetenv', 'unsetenv', 'resetenv']);

export function applyEnvKeyword(env: Record<string, string | undefined>, keyword: string, args: readonly string[]): void {
  switch (keyword) {
    case 'setenv':
      if (args.length >= 2) env[args[0]!] = args[1]!;
      return;
    case 'presetenv':
      if (args.length >= 2 && env[args[0]!] === undefined) env[args[0]!] = args[1]!;
      return;
    case 'unsetenv':
      for (const name of args) delete env[name];
      return;
    case 'resetenv': {
      const keep = new Set(args);
      for (const name of Object.keys(env)) if (!keep.has(name)) delete env[name];
      return;
    }
  }
}
