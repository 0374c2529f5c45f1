/** Runs the hpm-lint command's logic in-process with the CLI's defaults (no colour, stylish). */
import { runLint, type LintRequest } from '../../src/lint/command.js';
export { fixSources } from '../../src/lint/index.js';

/** Parses a small subset of the CLI flags used by tests into a LintRequest. */
export function runLintForTest(argv: string[], extra: Partial<LintRequest> = {}) {
  const request: LintRequest = { paths: [], format: 'stylish', defines: [], rules: [], fix: false, stdin: false, colorLevel: 0, ...extra };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--fix') request.fix = true;
    else if (a === '--no-host-checks') request.hostChecks = false;
    else if (a === '-W') request.masterWorker = true;
    else if (a === '--format') request.format = argv[++i] as LintRequest['format'];
    else if (a === '--haproxy-version') request.haproxyVersion = argv[++i]!;
    else request.paths.push(a);
  }
  return runLint(request);
}
