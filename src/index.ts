/**
 * hpm's library API: parse haproxy.cfg losslessly, build the program model, and (from the
 * rooms to the right of the data path) lint, format and run it.
 */
export * from './syntax/index.js';
export * from './model/index.js';
export * from './lint/index.js';
export * from './format/index.js';
export { Supervisor, type SupervisorOptions, type ProcessRow, type ReloadResult } from './run/supervisor.js';
export { Logger, formatLogLine } from './run/log.js';
export { exitStatus, strsignal } from './run/status.js';
export { formatShowProc, formatShowProcJson, type ProcSnapshot } from './run/show-proc.js';
export { withoutProgramSections } from './run/haproxy-child.js';
