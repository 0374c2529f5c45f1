/** GitHub Actions workflow commands: `::error file=..,line=..,col=..,title=<id>::message`. */
import type { LintResult } from '../types.js';
import type { LintFormatOptions } from './index.js';

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function formatGithub(result: LintResult, _options: LintFormatOptions): string {
  const lines = result.results.flatMap((file) =>
    file.diagnostics.map((d) => {
      const kind = d.severity === 'error' ? 'error' : 'warning';
      const props = [`file=${escapeProperty(d.file)}`, `line=${d.span.start.line}`, `col=${d.span.start.column}`, `endLine=${d.span.end.line}`, `endColumn=${d.span.end.column}`, `title=${escapeProperty(d.ruleId)}`];
      return `::${kind} ${props.join(',')}::${escapeData(d.hint ? `${d.message} (hint: ${d.hint})` : d.message)}`;
    }),
  );
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}
