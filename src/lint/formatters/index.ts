/** The output formats of hpm-lint, by name. */
import type { LintResult } from '../types.js';
import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatSarif } from './sarif.js';
import { formatStylish } from './stylish.js';

export const FORMATS = ['stylish', 'json', 'sarif', 'github'] as const;
export type FormatName = (typeof FORMATS)[number];

export interface LintFormatOptions {
  /** File texts, for code frames and ESLint's `source`. */
  texts: ReadonlyMap<string, string>;
  /** Colour level for stylish (0 = none). */
  colorLevel: 0 | 1 | 2 | 3;
  /** Base directory for relative paths (default: process.cwd()). */
  cwd?: string;
}

export function formatResult(format: FormatName, result: LintResult, options: LintFormatOptions): string {
  switch (format) {
    case 'json':
      return formatJson(result, options);
    case 'sarif':
      return formatSarif(result, options);
    case 'github':
      return formatGithub(result, options);
    default:
      return formatStylish(result, options);
  }
}
