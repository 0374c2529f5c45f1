/**
 * Formatting a text through Prettier with hpm's plugin: what hpm-fmt, the tests and library users
 * call. Prettier resolves the options and line ends; the plugin does the layout.
 */
import * as prettier from 'prettier';
import plugin, { PARSER_NAME } from './plugin.js';
import { formatInvisibleText, isInvisibleToPrettier } from './invisible-text.js';
import { withSourceText } from './source.js';

export interface FormatOptions {
  /** Used in error messages and to find the file's own text on disk. */
  filepath?: string;
  tabWidth?: number;
  useTabs?: boolean;
  endOfLine?: 'lf' | 'crlf' | 'auto';
  /** Other Prettier options (e.g. from a resolved .prettierrc); the above win over them. */
  prettierOptions?: prettier.Options;
}

/** The formatted text. Throws the plugin's SyntaxError (with `loc` and `diagnostics`) on broken input. */
export async function formatConfigText(text: string, options: FormatOptions = {}): Promise<string> {
  const { prettierOptions, ...own } = options;
  const defined = Object.fromEntries(Object.entries(own).filter(([, v]) => v !== undefined));
  if (isInvisibleToPrettier(text)) return formatInvisibleText(text, { ...prettierOptions, ...defined } as FormatOptions);
  return withSourceText(text, () =>
    prettier.format(text, {
      ...prettierOptions,
      ...defined,
      parser: PARSER_NAME,
      plugins: [plugin],
    }),
  );
}
