/**
 * hpm's library API: parse haproxy.cfg losslessly, build the program model, and (from the
 * rooms to the right of the data path) lint, format and run it.
 */
export * from './syntax/index.js';
export * from './model/index.js';
export * from './lint/index.js';
export * from './format/index.js';
