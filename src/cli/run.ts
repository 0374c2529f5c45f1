/**
 * hpm-run's command line: argument parsing and exit codes only (the work is in src/run/).
 *   hpm-run [-c] [--exit-on-failure] [--stop-timeout <time>] [-S <socket>] [-f <cfg>]... [<cfg>]...
 */
// Only light modules here: signals must be caught before the parser (chevrotain) is loaded.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHaproxyTime } from '../model/extensions.js';
import { LOG_FORMATS, Logger, writeAllSync, type LogFormat } from '../run/log.js';
import { bufferSignals } from '../run/signals.js';
import { DEFAULT_STOP_TIMEOUT_MS, type RunLoadOptions } from '../run/spec.js';
import type { ForkServerLauncher } from '../run/launcher.js';
import type { Worker } from 'node:worker_threads';
import { EXIT_USAGE, STDIN_OPERAND, configPathsOf, parseArguments, commandLine } from './arguments.js';

export interface RunOptions {
  configPaths: string[];
  check: boolean;
  exitOnFailure: boolean;
  stopTimeoutMs: number;
  controlSocket?: string;
  haproxy?: string;
  haproxySocket?: string;
  output?: 'inherit' | 'prefix' | 'json';
  logFormat: LogFormat;
}

export class UsageError extends Error {}

function parseStopTimeout(text: string): number {
  const ms = parseHaproxyTime(text);
  if (ms === undefined) throw new UsageError(`--stop-timeout: invalid time '${text}' (use 500ms, 10s, 2m; 0 = wait forever)`);
  return ms;
}

/** The options, or the exit code when there is nothing to run (usage error, --help, --version). */
export async function parseRunArgs(argv: readonly string[]): Promise<RunOptions | { exitCode: number }> {
  const parser = commandLine([...argv], (yargs) =>
      yargs
      .scriptName('hpm-run')
      .usage(
        '$0 [options] [-f] <haproxy.cfg|dir>...\n\nRuns the program sections of a HAProxy configuration as HAProxy\'s master did, ' +
          'and optionally HAProxy itself. Several files or directories are one configuration, as with haproxy -f a -f b.',
      )
      .option('file', { alias: 'f', type: 'string', describe: 'configuration file or directory of *.cfg (repeatable; same as an operand); - = standard input, with -c only' })
      .option('check', { alias: 'c', type: 'boolean', default: false, describe: 'check the configuration only (exit 0 valid, 1 invalid), like haproxy -c' })
      .option('exit-on-failure', { type: 'boolean', default: false, describe: "HAProxy's behaviour: a program failing stops everything" })
      .option('stop-timeout', {
        type: 'string',
        describe: `SIGKILL programs still running this long after the stop signal; 0 = wait forever [default: ${DEFAULT_STOP_TIMEOUT_MS / 1000}s]`,
      })
      .option('master-socket', { alias: 'S', type: 'string', describe: 'master CLI socket <path>[,mode,<octal>] (show proc, reload...), mode 0600 by default' })
      .option('haproxy', { type: 'string', describe: 'also run HAProxy (<binary> -W -db) on a copy of the config without programs' })
      .option('haproxy-socket', {
        type: 'string',
        describe: 'attach to the master CLI of an HAProxy run elsewhere (-W -S <path>): proxy it, reload it first',
      })
      .option('output', { choices: ['inherit', 'prefix', 'json'], describe: "programs write to hpm-run's stdout/stderr, as 'name | line', or as JSON objects on stdout [default: prefix on a terminal]" })
      .option('log-format', { choices: LOG_FORMATS, default: 'haproxy', describe: "hpm-run's own lines: HAProxy 2.4+ layout, the 2.0-2.3 layout, or JSON objects" })
      .option('once', { type: 'boolean', hidden: true, describe: 'exit once no program is left (always the case)' }));
  const parsed = await parseArguments(parser, 'hpm-run');
  if ('exitCode' in parsed) return parsed;
  const { args } = parsed;
  try {
    const configPaths = configPathsOf(args);
    if (configPaths.length === 0) throw new UsageError('no configuration file given');
    // `-` reads the configuration from standard input; only a check can: a reload reads the files again.
    if (configPaths.includes(STDIN_OPERAND) && !args.check) {
      throw new UsageError('- (standard input) works with -c only: a supervised configuration is read again on each reload');
    }
    if (args.haproxy !== undefined && args['haproxy-socket'] !== undefined) throw new UsageError('--haproxy and --haproxy-socket exclude each other');
    return {
      configPaths,
      check: args.check,
      exitOnFailure: args['exit-on-failure'],
      stopTimeoutMs: args['stop-timeout'] !== undefined ? parseStopTimeout(args['stop-timeout']) : DEFAULT_STOP_TIMEOUT_MS,
      ...(args['master-socket'] !== undefined ? { controlSocket: args['master-socket'] } : {}),
      ...(args.haproxy !== undefined ? { haproxy: args.haproxy } : {}),
      ...(args['haproxy-socket'] !== undefined ? { haproxySocket: args['haproxy-socket'] } : {}),
      ...(args.output !== undefined ? { output: args.output as 'inherit' | 'prefix' | 'json' } : {}),
      logFormat: args['log-format'] as LogFormat,
    };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    writeAllSync(2, `hpm-run: ${error.message}\nRun hpm-run --help for usage.\n`);
    return { exitCode: EXIT_USAGE };
  }
}

/**
 * `-c` with `-`: the configuration reader takes files, and /dev/stdin cannot be opened when
 * stdin is a socket (as Node's child processes get it), so stdin goes to a private temporary
 * file, named `<stdin>` in the messages.
 */
function withStdinAsFile<T>(paths: readonly string[], use: (paths: string[], rename: (text: string) => string) => T): T {
  if (!paths.includes(STDIN_OPERAND)) return use([...paths], (text) => text);
  const dir = mkdtempSync(join(tmpdir(), 'hpm-run-stdin-'));
  const file = join(dir, 'stdin.cfg');
  try {
    writeFileSync(file, readFileSync(0), { mode: 0o600 });
    return use(
      paths.map((path) => (path === STDIN_OPERAND ? file : path)),
      (text) => text.replaceAll(file, '<stdin>'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function check(options: RunOptions, logger: Logger): Promise<number> {
  const { describeDiagnostic, describeLoadFailure, loadRunConfig } = await import('../run/config.js');
  // `-c --haproxy <binary>`: `.if version_atleast()` and HAProxy's variables read as under that binary, as a start would.
  const readAs: RunLoadOptions = {};
  if (options.haproxy !== undefined) {
    const [{ haproxyVersionOf }, { configVersionOf, predefinedVariablesOf }] = await Promise.all([import('../run/haproxy-child.js'), import('../run/haproxy/config-version.js')]);
    const version = haproxyVersionOf(options.haproxy);
    if (!version) {
      logger.alert(`--haproxy: cannot run '${options.haproxy} -v'`);
      return 1;
    }
    const haproxyVersion = configVersionOf(version);
    if (haproxyVersion) readAs.haproxyVersion = haproxyVersion;
    readAs.predefined = predefinedVariablesOf(version);
  }
  return withStdinAsFile(options.configPaths, (paths, rename) => {
    const result = loadRunConfig(paths, process.env, undefined, readAs);
    if (!result.ok) {
      for (const { level, text } of describeLoadFailure(result)) logger.log(level, rename(text));
      return 1;
    }
    for (const d of result.diagnostics) logger.warning(rename(describeDiagnostic(d)));
    writeAllSync(1, 'Configuration file is valid\n');
    return 0;
  });
}

export interface StartedEarly {
  /** The configuration loader's thread, started by the bin before this module loaded (config-loader.ts). */
  loaderThread?: Worker;
}

export async function main(argv: string[], started: StartedEarly = {}): Promise<number> {
  const options = await parseRunArgs(argv);
  // --haproxy brings its own fork server and reads the configuration in this process; -c reads it here too.
  const loads = !('exitCode' in options) && !options.check && options.haproxy === undefined;
  if (!loads) void started.loaderThread?.terminate();
  if ('exitCode' in options) return options.exitCode;
  const logger = new Logger(process.pid, undefined, options.logFormat);
  if (options.check) return check(options, logger);
  const early = bufferSignals();
  const launcher = loads ? await startAhead(options, started.loaderThread) : undefined;
  try {
    return await supervise(options, logger, early, launcher);
  } finally {
    await launcher?.close(); // the supervisor closed it already unless nothing started
  }
}

/**
 * The first load and the fork server start now, side by side, while the main thread loads the
 * supervisor's modules: none waits for another before the first fork.
 */
async function startAhead(options: RunOptions, loaderThread: Worker | undefined): Promise<ForkServerLauncher> {
  const [{ adoptLoaderThread, startLoadingEarly }, { ForkServerLauncher }, { withoutNotifySocket }] = await Promise.all([
    import('../run/config-loader.js'),
    import('../run/launcher.js'),
    import('../run/notify.js'),
  ]);
  if (loaderThread) adoptLoaderThread(loaderThread);
  // The environment the supervisor loads with (see Operations.supervisorOptions); another one
  // would make the supervisor load afresh. Attached to an HAProxy, the load waits for its
  // version (read as it reads), and takes the thread then.
  if (options.haproxySocket === undefined) startLoadingEarly(options.configPaths, withoutNotifySocket(process.env));
  return new ForkServerLauncher();
}

async function supervise(options: RunOptions, logger: Logger, early: ReturnType<typeof bufferSignals>, launcher: ForkServerLauncher | undefined): Promise<number> {
  // Loaded together (each is a chunk of the bundle): operations.ts has the control socket, systemd
  // notify, prefixed output and --haproxy.
  const [{ Supervisor }, { installSignalHandlers }, { Operations }, { resolveOutputMode }] = await Promise.all([
    import('../run/supervisor.js'),
    import('../run/signals.js'),
    import('../run/operations.js'),
    import('../run/output.js'),
  ]);
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
    ...(launcher ? { launcher } : {}),
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
    await started; // --haproxy: HAProxy is the supervisor's slot, started after the programs
    return await ops.finish(await supervisor.done);
  } finally {
    removeSignalHandlers();
  }
}
