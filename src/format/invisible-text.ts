/**
 * Prettier returns "" for a text that JavaScript's trim() empties, without asking the plugin. But
 * a BOM or a no-break space is a word for HAProxy (not a blank), so such a text is laid out here,
 * the same way the plugin would. It cannot hold a section line, so every line is at level 0.
 */
import { parse } from '../syntax/index.js';
import { layoutText } from './layout.js';
import { refusal, refusingDiagnostics } from './refusal.js';
import { prettierNormalized } from './source.js';

export function isInvisibleToPrettier(text: string): boolean {
  return prettierNormalized(text).trim() === '';
}

export function formatInvisibleText(text: string, options: { filepath?: string; endOfLine?: 'lf' | 'crlf' | 'auto' }): string {
  const { ast, diagnostics } = parse(text, { file: options.filepath ?? '<input>' });
  const refusing = refusingDiagnostics(diagnostics);
  if (refusing.length > 0) throw refusal(refusing);
  const formatted = layoutText(ast, { unit: '' });
  const crlf = options.endOfLine === 'crlf' || (options.endOfLine === 'auto' && /^[^\r]*\r\n/.test(text));
  const eol = crlf ? '\r\n' : '\n';
  return eol === '\n' ? formatted : formatted.replaceAll('\n', eol);
}
