/**
 * hpm-run's command line: argument parsing and exit codes only (the work is in src/run/).
 *   hpm-run [-c] [--exit-on-failure] [--stop-timeout <time>] [-f <cfg>]... [<cfg>]...
 */
// Only light modules here: signals must be caught before the parser (chevrotain) is loaded.
import { parseHaproxyTime } from '../model/extensions.js';
import { Logger, writeAllSync } from '../run/log.js';
import { bufferSignals } from '../run/signals.js';

export interface RunOptions {
  configPaths: string[];
  check: boolean;
  exitOnFailure: boolean;
  stopTimeoutMs?: number;
  // issue 6 (operations): -S, --haproxy, --output
  controlSocket?: string;
  haproxy?: string;
  haproxySocket?: string;
  output?: 'inherit' | 'prefix';
}

const USAGE = `Usage: hpm-run [options] [-f] <haproxy.cfg|dir>...
  -f <path>              configuration file or directory of *.cfg (repeatable)
  -c                     check the configuration only (exit 0 valid, 1 invalid)
  --exit-on-failure      HAProxy's behaviour: a program failing stops everything
  --stop-timeout <time>  SIGKILL programs still running this long after the stop signal [10s]; 0 = wait forever
  --once                 exit once no program is left (the default)
  -S <path>[,mode,<octal>]  master CLI socket (show proc, reload...), mode 0600 by default
  --haproxy <binary>     also run HAProxy (<binary> -W -db) on a copy of the config without programs
  --haproxy-socket <path>  attach to the master CLI of an HAProxy run elsewhere (-W -S <path>): proxy it, reload it first
  --output inherit|prefix  programs write to hpm-run's stdout/stderr, or as 'name | line' [prefix on a terminal]
  -h, --help             this help
`;

export class UsageError extends Error {}

export function parseRunArgs(argv: readonly string[]): RunOptions {
  const options: RunOptions = { configPaths: [], check: false, exitOnFailure: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} expects an argument`);
      return v;
    };
    if (arg === '-f') options.configPaths.push(value());
    else if (arg === '-c') options.check = true;
    else if (arg === '--exit-on-failure') options.exitOnFailure = true;
    else if (arg === '--once') continue;
    else if (arg === '--stop-timeout' || arg.startsWith('--stop-timeout=')) {
      const text = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : value();
      const ms = parseHaproxyTime(text);
      if (ms === undefined) throw new UsageError(`--stop-timeout: invalid time '${text}' (use 500ms, 10s, 2m; 0 = wait forever)`);
      options.stopTimeoutMs = ms;
    } else if (arg === '-S') options.controlSocket = value();
    else if (arg === '--haproxy-socket' || arg.startsWith('--haproxy-socket=')) options.haproxySocket = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : value();
    else if (arg === '--haproxy' || arg.startsWith('--haproxy=')) options.haproxy = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : value();
    else if (arg === '--output' || arg.startsWith('--output=')) {
      const mode = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : value();
      if (mode !== 'inherit' && mode !== 'prefix') throw new UsageError(`--output: expected 'inherit' or 'prefix', got '${mode}'`);
      options.output = mode;
    } else if (arg === '--') options.configPaths.push(...argv.slice(i + 1)), (i = argv.length);
    else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'`);
    else options.configPaths.push(arg);
  }
  if (options.configPaths.length === 0) throw new UsageError('no configuration file given');
  if (options.haproxy !== undefined && options.haproxySocket !== undefined) throw new UsageError('--haproxy and --haproxy-socket exclude each other');
  return options;
}

async function check(options: RunOptions, logger: Logger): Promise<number> {
  const { describeDiagnostic, describeLoadFailure, loadRunConfig } = await import('../run/config.js');
  const result = loadRunConfig(options.configPaths, process.env);
  if (!result.ok) {
    for (const { level, text } of describeLoadFailure(result)) logger.log(level, text);
    return 1;
  }
  for (const d of result.diagnostics) logger.warning(describeDiagnostic(d));
  writeAllSync(1, 'Configuration file is valid\n');
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    writeAllSync(1, USAGE);
    return 0;
  }
  let options: RunOptions;
  try {
    options = parseRunArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    writeAllSync(2, `hpm-run: ${error.message}\n${USAGE}`);
    return 2;
  }
  const logger = new Logger();
  if (options.check) return check(options, logger);
  const early = bufferSignals();
  const { Supervisor } = await import('../run/supervisor.js');
  const { installSignalHandlers } = await import('../run/signals.js');
  // issue 6: control socket, systemd notify, prefixed output, --haproxy (src/run/operations.ts)
  const { Operations } = await import('../run/operations.js');
  const { resolveOutputMode } = await import('../run/output.js');
  let ops: Awaited<ReturnType<typeof Operations.create>>;
  try {
    ops = await Operations.create({
      configPaths: options.configPaths,
      logger,
      env: process.env,
      controlSocket: options.controlSocket,
      haproxy: options.haproxy,
      haproxySocket: options.haproxySocket,
      output: resolveOutputMode(options.output, process.stdout.isTTY === true),
      stopTimeoutMs: options.stopTimeoutMs ?? 10_000,
    });
  } catch (error) {
    logger.alert((error as Error).message);
    return 1;
  }
  const supervisor = new Supervisor({
    configPaths: options.configPaths,
    env: process.env,
    logger,
    exitOnFailure: options.exitOnFailure,
    stopTimeoutMs: options.stopTimeoutMs,
    // --haproxy reads the configuration in this process anyway: no separate loader then.
    configLoader: options.haproxy ? 'in-process' : 'child',
    ...ops.supervisorOptions(),
  });
  try {
    await ops.attach(supervisor);
  } catch (error) {
    logger.alert((error as Error).message);
    await ops.finish(1);
    return 1;
  }
  const removeSignalHandlers = installSignalHandlers(supervisor);
  const pending = early.release();
  try {
    const started = supervisor.start();
    for (const signal of pending) process.emit(signal, signal);
    await ops.started(await started);
    return await ops.finish(await supervisor.done);
  } finally {
    removeSignalHandlers();
  }
}
