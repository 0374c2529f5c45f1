/**
 * `hpm-run --haproxy <binary>` reads the configuration once per load, with the binary's version:
 * - HAProxy's copy is written from the very text hpm-run validated (no second read of the files),
 *   so HAProxy and the programs always come from the same version of a file that changes;
 * - `.if version_atleast()` picks, for the programs, the branch the binary itself picks (HAProxy's
 *   answer over HTTP is the differential reference), at the start and at a reload.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, openSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadRunConfig } from '../../src/run/config.js';
import { HaproxyChild, withoutProgramSections } from '../../src/run/haproxy-child.js';
import { configVersionOf } from '../../src/run/haproxy/config-version.js';
import { Logger } from '../../src/run/log.js';
import { parse } from '../../src/syntax/index.js';
import { ensureBuilt, newTag, running, startHpmRun, stopRun, type Started } from '../run/helpers.js';
import { haproxyMatrix } from './haproxy-versions.js';
import { exitOf, freePort, httpFrontendLines, httpGet, tempDir, waitFor } from './helpers.js';

const binaries = haproxyMatrix('haproxy-once');
const debian = binaries.find((b) => b.branch === '2.6');

function config(port: number, answer: string, sleepSeconds: number, extra = ''): string {
  return [
    ...httpFrontendLines(port),
    `    http-request return status 200 content-type text/plain string "${answer}"`,
    extra,
    'program worker',
    `    command sleep ${sleepSeconds}`,
    '',
  ].join('\n');
}

/** Whether process `pid` has `path` open. */
function holds(pid: number, path: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === path;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/**
 * A configuration "file" that changes at each read: a FIFO fed one text per open, in order. Each
 * text goes to a reader only once the previous reader closed the FIFO, so every read gets a
 * whole text of its own; a text nobody reads stays pending. This is an operator editing the file
 * between two reads, made deterministic.
 */
function fifoFeeder(path: string, reader: () => number | undefined) {
  execFileSync('mkfifo', ['-m', '600', path]);
  const queue: string[] = [];
  let consumed = 0;
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      const text = queue[0];
      if (text === undefined) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      const pid = reader();
      // The previous reader must be gone, else this text would land in a pipe about to close.
      while (!stopped && pid !== undefined && holds(pid, path)) await new Promise((r) => setTimeout(r, 10));
      if (stopped) break;
      const handle = await open(path, 'w'); // waits for a reader
      await handle.writeFile(text);
      await handle.close();
      queue.shift();
      consumed++;
    }
  })();
  return {
    feed(text: string) {
      queue.push(text);
      wake?.();
    },
    get consumed() {
      return consumed;
    },
    get pending() {
      return queue.length;
    },
    /** Ends the feeding: a writer blocked on its open gets a reader that drops its text. */
    async stop() {
      stopped = true;
      wake?.();
      const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
      await loop.catch(() => undefined);
      closeSync(fd);
    },
  };
}

describe('configVersionOf', () => {
  it('keeps the numbers of what -v prints, and puts a pre-release before its release', () => {
    expect(configVersionOf('2.6.12-1+deb12u4')).toBe('2.6.12');
    expect(configVersionOf('3.2.0-e134140d2')).toBe('3.2.0');
    expect(configVersionOf('3.4-dev5')).toBe(`3.3.${Number.MAX_SAFE_INTEGER}`);
    expect(configVersionOf('3.0-dev1')).toBe(`2.${Number.MAX_SAFE_INTEGER}.${Number.MAX_SAFE_INTEGER}`);
    expect(configVersionOf('something')).toBeUndefined();
  });
});

describe.skipIf(!debian)("HAProxy's copy is the validated text", () => {
  it('writes the copy from the texts the load validated, byte for byte, not from the file as it is now', async () => {
    const tmp = tempDir('once-copy');
    const cfg = join(tmp.dir, 'haproxy.cfg');
    // Not UTF-8 (0xE9 alone): the copy must give the same bytes back.
    const validatedBytes = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from(`\n${config(1, 'validated', 3700)}`)]);
    writeFileSync(cfg, validatedBytes);
    const child = new HaproxyChild({ binary: debian!.path, logger: new Logger(1, () => undefined), env: process.env });
    try {
      const result = loadRunConfig([cfg], process.env, undefined, { keepSources: true, haproxyVersion: child.configVersion! });
      expect(result.ok).toBe(true);
      const sources = result.ok ? result.config.sources! : [];
      expect(sources.map((s) => s.encoding)).toEqual(['latin1']);
      // Edited after the validation: this text must not reach HAProxy.
      writeFileSync(cfg, config(1, 'never validated', 3799));
      expect(await child.prepare(sources)).toBeUndefined();
      const copy = readFileSync(join(dirname(child.cliPath), 'next', '0000-haproxy.cfg'));
      const expected = Buffer.from(withoutProgramSections(parse(validatedBytes.toString('latin1'), { file: cfg }).ast), 'latin1');
      expect(copy.equals(expected)).toBe(true);
      expect(copy.includes('never validated')).toBe(false);
    } finally {
      child.close();
      tmp.cleanup();
    }
  });
});

describe.skipIf(!debian)('hpm-run --haproxy reads each configuration once', () => {
  const tag = newTag();
  const tmp = tempDir('once-run');
  let run: Started | undefined;
  let feeder: ReturnType<typeof fifoFeeder> | undefined;

  afterEach(async () => {
    await stopRun(run, tag);
    await feeder?.stop();
  });
  afterAll(() => tmp.cleanup());

  it('HAProxy and the programs come from the same text, at the start and at a reload, however the file changes after', async () => {
    ensureBuilt();
    const port = await freePort();
    const cfg = join(tmp.dir, 'fifo.cfg');
    feeder = fifoFeeder(cfg, () => run?.child.pid);
    // Each load may read the file once: the second text is the file as edited after the first read.
    feeder.feed(config(port, 'first', 3701));
    feeder.feed(config(port, 'edited', 3702));
    run = startHpmRun(['--haproxy', debian!.path, cfg], { tag });
    expect(await waitFor('HAProxy to answer', () => httpGet(port))).toBe('first');
    await waitFor('the program of the same text to run', () => running(tag, 'sleep 3701').length === 1 || undefined);
    expect(feeder.consumed).toBe(1);
    expect(running(tag, 'sleep 3702')).toEqual([]);

    // The reload reads the edited text, once: HAProxy serves it and its program replaces the old one.
    feeder.feed(config(port, 'edited again', 3703));
    run.signal('SIGHUP');
    expect(await waitFor('HAProxy to serve the edited text', async () => ((await httpGet(port)) === 'edited' ? 'edited' : undefined))).toBe('edited');
    await waitFor('the edited program to run and the first to stop', () => (running(tag, 'sleep 3702').length === 1 && running(tag, 'sleep 3701').length === 0) || undefined);
    expect(feeder.consumed).toBe(2);
    expect(feeder.pending).toBe(1);
    expect(running(tag, 'sleep 3703')).toEqual([]);
    expect(await httpGet(port)).toBe('edited');
  });
});

/**
 * `.if version_atleast(3.3)` / `.elif version_atleast(3.0)` / `.else`: 2.6 takes the last branch,
 * 3.2 the middle one, 3.3 and 3.4 the first. HAProxy's HTTP answer says which branch it read;
 * hpm-run's program must come from the same branch.
 */
/** HAProxy's predefined variables, as its reader and hpm-run's expand them. */
const VARIABLES = '${HAPROXY_BRANCH-none} ${HAPROXY_STARTUP_VERSION-none}';

/** HAProxy's answer: which branch it read, and its variables (the x-vars header). */
async function haproxyReading(port: number): Promise<{ branch: string; variables: string | null } | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
    return response.status === 200 ? { branch: await response.text(), variables: response.headers.get('x-vars') } : undefined;
  } catch {
    return undefined;
  }
}

function versionedConfig(port: number, base: number): string {
  const branches: [string, string, number][] = [
    ['.if version_atleast(3.3)', '3.3+', base + 1],
    ['.elif version_atleast(3.0)', '3.0-3.2', base + 2],
    ['.else', 'before 3.0', base + 3],
  ];
  return [
    ...httpFrontendLines(port),
    ...branches.flatMap(([directive, name]) => [directive, `    http-request return status 200 content-type text/plain string "${name}" hdr x-vars "${VARIABLES}"`]),
    '.endif',
    ...branches.flatMap(([directive, , seconds]) => [directive, 'program picked', `    command sleep ${seconds}`]),
    '.endif',
    'program variables',
    `    command sh -c 'sleep ${base + 5}; exit' "${VARIABLES}"`,
    '',
  ].join('\n');
}

const BRANCH_OFFSET: Record<string, number> = { '3.3+': 1, '3.0-3.2': 2, 'before 3.0': 3 };

function expectedBranch(branch: string): string {
  const [major = 0, minor = 0] = branch.split('.').map(Number);
  if (major > 3 || (major === 3 && minor >= 3)) return '3.3+';
  return major >= 3 ? '3.0-3.2' : 'before 3.0';
}

describe.each(binaries.map((b, i) => ({ ...b, index: i })))('hpm-run --haproxy $branch reads .if version_atleast() and its variables as the binary does', ({ branch, version, path, index }) => {
  const tag = newTag();
  const tmp = tempDir(`once-version-${branch}`);
  let run: Started | undefined;

  afterEach(() => stopRun(run, tag));
  afterAll(() => tmp.cleanup());

  it('runs the program of the branch HAProxy itself takes, with its variables, at the start and after a reload', async () => {
    ensureBuilt();
    const port = await freePort();
    const cfg = join(tmp.dir, 'versioned.cfg');
    const base = 3900 + index * 20;
    writeFileSync(cfg, versionedConfig(port, base));
    run = startHpmRun(['--haproxy', path, cfg], { tag });
    const reading = await waitFor('HAProxy to answer', () => haproxyReading(port));
    const picked = reading.branch;
    // The differential reference: the binary's own reading.
    expect(picked).toBe(expectedBranch(branch));
    expect(reading.variables).toMatch(new RegExp(`^(${branch.replace('.', '\\.')}|none) ${version.replace(/[.+]/g, '\\$&')}$`));
    // hpm-run expanded the same variables for the programs.
    await waitFor(`the variables program with HAProxy's values (${reading.variables})`, () => running(tag, `sh -c sleep ${base + 5}; exit ${reading.variables}`).length === 1 || undefined);
    const seconds = base + BRANCH_OFFSET[picked]!;
    await waitFor(`the program of HAProxy's branch (sleep ${seconds})`, () => running(tag, `sleep ${seconds}`).length === 1 || undefined);
    const others = Object.values(BRANCH_OFFSET).filter((o) => base + o !== seconds);
    for (const o of others) expect(running(tag, `sleep ${base + o}`)).toEqual([]);

    // A reload reads with the same version.
    const reloaded = base + 10;
    writeFileSync(cfg, versionedConfig(port, reloaded));
    run.signal('SIGHUP');
    const again = reloaded + BRANCH_OFFSET[picked]!;
    await waitFor(`the reloaded program of the same branch (sleep ${again})`, () => (running(tag, `sleep ${again}`).length === 1 && running(tag, `sleep ${seconds}`).length === 0) || undefined);
    for (const o of Object.values(BRANCH_OFFSET)) if (reloaded + o !== again) expect(running(tag, `sleep ${reloaded + o}`)).toEqual([]);
    expect(await httpGet(port)).toBe(picked);
  });
});

/** The HAPROXY_* variables a process was started with (its /proc environ). */
function haproxyVariablesOf(pid: number): Record<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8')
    .split('\0')
    .filter((kv) => kv === 'HAPROXY_STARTUP_VERSION' || kv.startsWith('HAPROXY_STARTUP_VERSION=') || kv.startsWith('HAPROXY_BRANCH='))
    .map((kv) => kv.split('=', 2) as [string, string]);
  return Object.fromEntries(entries);
}

describe.each(binaries.map((b, i) => ({ ...b, index: i })))("hpm-run --haproxy $branch gives programs the binary's own HAPROXY_STARTUP_VERSION and HAPROXY_BRANCH", ({ branch, path, hasPrograms, index }) => {
  const tag = newTag();
  const tmp = tempDir(`once-env-${branch}`);
  let run: Started | undefined;
  let own: ReturnType<typeof spawn> | undefined;

  afterEach(async () => {
    if (own && own.exitCode === null && own.signalCode === null) {
      own.kill('SIGTERM');
      await exitOf(own);
    }
    await stopRun(run, tag);
  });
  afterAll(() => tmp.cleanup());

  // HAPROXY_STARTUP_VERSION is set without overwriting: one inherited from the environment stays.
  it.each([
    { inherited: undefined, offset: 0 },
    { inherited: '9.9-inherited', offset: 1 },
  ])('as the binary defines them for its configuration, and as its own master passes them to a program (2.6, 3.2), inheriting $inherited', async ({ inherited, offset }) => {
    ensureBuilt();
    const env: Record<string, string> = inherited ? { HAPROXY_STARTUP_VERSION: inherited } : {};
    const seconds = 3950 + index * 4 + offset;
    const lines = (port: number) =>
      [
        ...httpFrontendLines(port),
        '    http-request return status 200',
        // 3.1 and 3.2 run programs only with the deprecated directives exposed.
        ...(branch === '2.6' ? [] : ['global', '    expose-deprecated-directives']),
        'program env',
        `    command sleep ${seconds}`,
        '',
      ].join('\n');

    // What the binary defines while it reads its configuration (.notice expands them).
    const noticeCfg = join(tmp.dir, 'notice.cfg');
    writeFileSync(noticeCfg, [...httpFrontendLines(await freePort()), `.notice "${VARIABLES}"`, ''].join('\n'));
    const check = spawnSync(path, ['-c', '-f', noticeCfg], { encoding: 'utf8', env: { ...process.env, ...env } });
    const [definedBranch, definedVersion] = /: '(\S+) (\S+)'\.?$/m.exec(`${check.stdout}${check.stderr}`)!.slice(1);
    const defined: Record<string, string> = { HAPROXY_STARTUP_VERSION: definedVersion! };
    if (definedBranch !== 'none') defined.HAPROXY_BRANCH = definedBranch!;
    if (inherited) expect(definedVersion).toBe(inherited);

    const cfg = join(tmp.dir, `env-${offset}.cfg`);
    writeFileSync(cfg, lines(await freePort()));
    run = startHpmRun(['--haproxy', path, cfg], { tag, env });
    const pid = await waitFor('the program to run', () => running(tag, `sleep ${seconds}`)[0]);
    expect(haproxyVariablesOf(pid)).toEqual(defined);
    // The log formats HAProxy defines while it reads are gone before anything runs.
    expect(readFileSync(`/proc/${pid}/environ`, 'utf8')).not.toMatch(/(^|\0)HAPROXY_\w+_LOG_FMT=/);
    await stopRun(run, tag);

    if (!hasPrograms) return; // 3.3+ runs no programs itself: what it defines is the reference
    // The differential: the same program under the binary's own master.
    own = spawn(path, ['-W', '-db', '-f', cfg], { stdio: 'ignore', env: { ...process.env, ...env, HPM_TEST_TAG: tag } });
    const ownPid = await waitFor("the program under HAProxy's own master", () => running(tag, `sleep ${seconds}`)[0]);
    expect(haproxyVariablesOf(ownPid)).toEqual(defined);
    expect(readFileSync(`/proc/${ownPid}/environ`, 'utf8')).not.toMatch(/(^|\0)HAPROXY_\w+_LOG_FMT=/);
  });

  it('reads .if defined() of the log formats the binary defines while reading, as the binary does', async () => {
    ensureBuilt();
    const [withFormat, without] = [3990 + index * 2, 3991 + index * 2];
    const port = await freePort();
    const names = ['HAPROXY_HTTP_LOG_FMT', 'HAPROXY_HTTP_CLF_LOG_FMT', 'HAPROXY_HTTPS_LOG_FMT', 'HAPROXY_TCP_LOG_FMT', 'HAPROXY_TCP_CLF_LOG_FMT'];
    // The binary's own reading: which of them it defines.
    const noticeCfg = join(tmp.dir, 'formats-notice.cfg');
    writeFileSync(noticeCfg, [...httpFrontendLines(port), ...names.flatMap((name) => [`.if defined(${name})`, `.notice "defines ${name}"`, '.endif']), ''].join('\n'));
    const check = spawnSync(path, ['-c', '-f', noticeCfg], { encoding: 'utf8' });
    const defines = names.filter((name) => `${check.stdout}${check.stderr}`.includes(`defines ${name}`));
    const tcpDefined = defines.includes('HAPROXY_TCP_LOG_FMT');
    const cfg = join(tmp.dir, 'formats.cfg');
    writeFileSync(
      cfg,
      [...httpFrontendLines(port), '    http-request return status 200', '.if defined(HPM_RUN)', '.if defined(HAPROXY_TCP_LOG_FMT)', 'program picked', `    command sleep ${withFormat}`, '.else', 'program picked', `    command sleep ${without}`, '.endif', '.endif', ''].join('\n'),
    );
    run = startHpmRun(['--haproxy', path, cfg], { tag });
    await waitFor('the program of the branch the binary takes', () => running(tag, `sleep ${tcpDefined ? withFormat : without}`)[0]);
    expect(running(tag, `sleep ${tcpDefined ? without : withFormat}`)).toEqual([]);
    expect(defines.length === 0 || defines.length >= 3).toBe(true);
  });
});
