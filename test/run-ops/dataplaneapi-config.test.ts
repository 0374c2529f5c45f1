/**
 * The documented Data Plane API setup (fixtures/run/dataplaneapi.cfg, docs/ops.md) run as
 * documented, `hpm-run --haproxy <binary> -S <sock> -f haproxy.cfg`, with a stand-in for the API
 * that does what the API does at start: the file passes `haproxy -c` of that version, the API
 * finds its config file in HAPROXY_CFGFILES, its master socket answers `help` and `@1` commands
 * reach HAProxy's worker; a reload through the socket answers Success=1.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBuilt, killLeftovers, newTag, startHpmRun, waitNoLeftovers } from '../run/helpers.js';
import { haproxyMatrix, type HaproxyBinary } from './haproxy-versions.js';
import { cliRequest, exitOf, freePort, tempDir, waitFor } from './helpers.js';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/run');
const all = haproxyMatrix('the Data Plane API configuration');
// The oldest and the newest version: the 2.6-3.2 and the 3.3+ cases of the documentation.
const matrix = [...new Set([all[0], all[all.length - 1]])].filter((b): b is HaproxyBinary => b !== undefined);

describe.skipIf(matrix.length === 0).each(matrix)('Data Plane API configuration, HAProxy $branch', (bin: HaproxyBinary) => {
  const tag = newTag();
  const tmp = tempDir(`dpapi-cfg-${bin.branch}`);
  afterAll(async () => {
    killLeftovers(tag);
    tmp.cleanup();
  });

  it('starts, answers the API and reloads', async () => {
    ensureBuilt();
    const cfg = join(tmp.dir, 'haproxy.cfg');
    copyFileSync(join(FIXTURES, 'dataplaneapi.cfg'), cfg);
    const report = join(tmp.dir, 'report.json');
    const env = {
      HAPROXY_BIND: `127.0.0.1:${await freePort()}`,
      APP_SERVER: `127.0.0.1:${await freePort()}`,
      DPAPI_PASSWORD: 'secret',
      DPAPI_COMMAND: join(FIXTURES, 'dataplaneapi-standin.mjs'),
      DPAPI_CONFIG: report,
      DPAPI_ADDR: `127.0.0.1:${await freePort()}`,
      HPM_STANDIN_CONFIG_FILE: cfg,
    };
    // Valid for that HAProxy as it is (the program section is hidden from it).
    execFileSync(bin.path, ['-c', '-f', cfg], { env: { ...process.env, ...env }, stdio: 'pipe' });
    const sock = join(tmp.dir, 'master.sock');
    const run = startHpmRun(['--haproxy', bin.path, '-S', sock, '-f', cfg], { tag, env });
    const seen = await waitFor('the stand-in API to report', () => (existsSync(report) ? (JSON.parse(readFileSync(report, 'utf8')) as Record<string, unknown>) : undefined), 30_000);
    expect(seen).toMatchObject({ mworker: '1', masterCli: `unix@${sock}`, configFileFound: true, help: 'The following commands are valid at this level:', version: bin.version });
    expect(seen.statLines).toBeGreaterThanOrEqual(4);
    const reload = await cliRequest(sock, 'reload;quit\n', 60_000);
    expect(reload.split('\n--\n')[0]).toBe('Success=1');
    run.signal('SIGTERM');
    expect(await exitOf(run.child)).toEqual({ code: 0, signal: null });
    expect(await waitNoLeftovers(tag)).toEqual([]);
  }, 90_000);
});
