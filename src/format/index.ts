/**
 * hpm's formatter as a library: `formatConfigText(text, options)` formats through Prettier with
 * the hpm plugin (`prettierPlugin`, also the package export `hpm-haproxy/prettier`).
 */
export { formatConfigText, type FormatOptions } from './format.js';
export { default as prettierPlugin, type HaproxyDocument } from './plugin.js';
export { refusingDiagnostics, type FormatRefusal } from './refusal.js';
