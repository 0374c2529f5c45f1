/**
 * fixtures/run/dataplaneapi.cfg, the recommended Data Plane API setup: hpm-lint and hpm-run -c
 * accept it, so do HAProxy 2.6, 3.2, 3.3 and 3.4 (`haproxy -c`, which skip the HPM_RUN block), and hpm-run
 * reads the extensions the file promises.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fileAccounts } from '../../src/model/index.js';
import { loadRunConfig } from '../../src/run/config.js';
import { haproxyBinary } from '../helpers/haproxy-binaries.js';
import { ROOT, ensureBuilt } from './helpers.js';

const FIXTURE = resolve(ROOT, 'fixtures/run/dataplaneapi.cfg');
beforeAll(() => ensureBuilt(), 120_000);

describe('fixtures/run/dataplaneapi.cfg', () => {
  it('hpm-lint finds no problem (host checks off: the API is not installed here); hpm-run -c accepts it', () => {
    const lint = spawnSync(process.execPath, [resolve(ROOT, 'bin/hpm-lint.js'), '--no-host-checks', FIXTURE], { encoding: 'utf8' });
    expect(lint.status, lint.stdout + lint.stderr).toBe(0);
    expect(lint.stdout).not.toMatch(/warning|error/);
    const check = spawnSync(process.execPath, [resolve(ROOT, 'bin/hpm-run.js'), '-c', FIXTURE], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
  });

  it('hpm-run reads the promised extensions', () => {
    const loaded = loadRunConfig([FIXTURE], {}, fileAccounts({ users: [], groups: [] }));
    expect(loaded.ok).toBe(true);
    const api = loaded.ok ? loaded.config.programs.find((p) => p.name === 'api') : undefined;
    expect(api).toMatchObject({
      startOnReload: false,
      after: ['haproxy'],
      reloadSignal: 'auto',
      restart: 'on-failure',
      stopTimeoutMs: 30_000,
      ready: { kind: 'tcp', host: '127.0.0.1', port: 5555 },
      readyTimeoutMs: 60_000,
      env: { GOMAXPROCS: '2' },
    });
  });

  for (const version of ['2.6', '3.2', '3.3', '3.4']) {
    const found = haproxyBinary(version);
    const missing = 'missing' in found ? found.missing : undefined;
    if (missing) console.log(`skipping haproxy -c ${version} of dataplaneapi.cfg: ${missing}`);
    it.skipIf(missing !== undefined)(`haproxy -c (HAProxy ${version}) accepts it, without a warning`, () => {
      const check = spawnSync((found as { path: string }).path, ['-c', '-f', FIXTURE], { encoding: 'utf8' });
      expect(check.status, check.stderr).toBe(0);
      // 3.2 warns that 'program' is deprecated unless expose-deprecated-directives comes first.
      expect(check.stderr).not.toMatch(/WARNING|ALERT/);
    });
  }
});
