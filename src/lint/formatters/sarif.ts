/**
 * SARIF 2.1.0, one run, every rule of hpm-lint in the driver with its docs page inside the log
 * (`help.text` and `help.markdown`): code scanning shows it as is, and no local path (a file:// URL
 * into node_modules or to a linted file, useless there and revealing the CI machine's layout)
 * leaves the machine.
 */
import { readFileSync } from 'node:fs';
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';
import { packageRoot, packageVersion } from '../../package-info.js';
import { RULES } from '../registry.js';
import type { LintResult } from '../types.js';
import type { LintFormatOptions } from './index.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** A rule's docs page, shipped with the package; the description alone when it cannot be read. */
function ruleHelp(root: string, docs: string, description: string): { text: string; markdown: string } {
  let markdown: string;
  try {
    markdown = readFileSync(resolve(root, docs), 'utf8');
  } catch {
    markdown = description;
  }
  return { text: markdownToText(markdown), markdown };
}

/** Plain text for viewers that do not render Markdown: no fences, heading marks or backticks. */
function markdownToText(markdown: string): string {
  return markdown
    .split('\n')
    .filter((line) => !line.startsWith('```'))
    .map((line) => line.replace(/^#+\s*/, '').replace(/`/g, ''))
    .join('\n')
    .trim();
}

/**
 * Every artifact is named relative to the directory hpm-lint ran in, the `%SRCROOT%` base (in CI,
 * the checkout): `conf/haproxy.cfg`, or `../etc/haproxy.cfg` for a file above it. The base's own
 * location stays out of the log, so no machine path leaves it; code scanning maps `%SRCROOT%` to
 * the repository it uploads to.
 */
export const SRCROOT = '%SRCROOT%';

function artifactLocation(file: string, cwd: string): { uri: string; uriBaseId: string } {
  const rel = relative(cwd, resolve(cwd, file)) || basename(file);
  // Windows, another drive than the working directory: no relative path exists; name the file alone.
  const path = isAbsolute(rel) ? basename(rel) : rel;
  return { uri: path.split(sep).join('/').split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

export function toSarif(result: LintResult, options: Pick<LintFormatOptions, 'cwd'>): object {
  const cwd = options.cwd ?? process.cwd();
  const root = packageRoot()?.dir ?? process.cwd();
  const ruleIndex = new Map(RULES.map((r, i) => [r.meta.id, i]));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'hpm-lint',
            version: packageVersion(),
            rules: RULES.map((r) => ({
              id: r.meta.id,
              name: r.meta.id.replace(/[/-](.)/g, (_m, ch: string) => ch.toUpperCase()),
              shortDescription: { text: r.meta.description },
              help: ruleHelp(root, r.meta.docs, r.meta.description),
              defaultConfiguration: { level: r.meta.defaultSeverity === 'error' ? 'error' : 'warning' },
            })),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { description: { text: 'The directory hpm-lint ran in (the repository checkout in CI).' } } },
        columnKind: 'utf16CodeUnits',
        results: result.results.flatMap((file) =>
          file.diagnostics.map((d) => ({
            ruleId: d.ruleId,
            ...(ruleIndex.has(d.ruleId) ? { ruleIndex: ruleIndex.get(d.ruleId) } : {}),
            level: d.severity === 'error' ? 'error' : 'warning',
            message: { text: d.hint ? `${d.message}\nHint: ${d.hint}` : d.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: artifactLocation(d.file, cwd),
                  region: { startLine: d.span.start.line, startColumn: d.span.start.column, endLine: d.span.end.line, endColumn: d.span.end.column },
                },
              },
            ],
          })),
        ),
      },
    ],
  };
}

export function formatSarif(result: LintResult, options: LintFormatOptions): string {
  return JSON.stringify(toSarif(result, options), null, 2) + '\n';
}
