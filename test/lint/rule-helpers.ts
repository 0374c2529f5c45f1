/** Shared by the rule tests: lint a text with the options a docs page or fixture asks for. */
import { lintSources, type LintOptions } from '../../src/lint/index.js';
import { fileAccounts } from '../../src/model/index.js';

export interface ExampleOptions extends LintOptions {
  replace?: Record<string, string>;
  stripFinalNewline?: 'bad' | 'good';
}

/** Accounts that exist on the reference host; the rule tests do not depend on this machine. */
export const TEST_ACCOUNTS = fileAccounts({ users: ['nobody', 'daemon', 'root', 'haproxy'], groups: ['nogroup', 'daemon', 'root', 'haproxy'] });

export function lintText(text: string, file: string, options: LintOptions = {}) {
  return lintSources([{ file, text, encoding: 'utf8' }], {
    masterWorker: true,
    hostChecks: false,
    accounts: TEST_ACCOUNTS,
    env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
    ...options,
  });
}

export function ruleIdsOf(result: ReturnType<typeof lintText>): string[] {
  return result.results.flatMap((r) => r.diagnostics.map((d) => d.ruleId));
}

/** `# lint-options: {...}` at the top of a fixture. */
export function fixtureOptions(text: string): LintOptions {
  const m = /^# lint-options: (.*)$/m.exec(text);
  return m ? (JSON.parse(m[1]!) as LintOptions) : {};
}
