/**
 * `--output prefix` with several programs writing 10 MB in total, binary bytes included: once
 * the `name | ` prefixes are removed, each program's byte stream is exactly what it wrote (a
 * final newline is added to a stream that did not end with one).
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBuilt, HPM_RUN, killLeftovers, newTag, waitNoLeftovers } from '../run/helpers.js';
import { exitOf, tempDir } from './helpers.js';
import { unprefix } from './unprefix.js';
import { xorshiftBytes } from '../helpers/random-bytes.js';

/** Deterministic bytes, newlines included by chance (no 64 KiB line at these seeds). */
const bytesFor = (seed: number, size: number): Buffer => xorshiftBytes(size, seed);

describe('hpm-run --output prefix', () => {
  const tmp = tempDir('prefix');
  const tag = newTag();
  afterAll(() => {
    killLeftovers(tag);
    tmp.cleanup();
  });

  it('keeps every byte of 10 MB of output from several programs', async () => {
    ensureBuilt();
    const programs = [
      { name: 'bin', data: bytesFor(1, 4_000_000) },
      { name: 'text-with-a-longer-name', data: Buffer.from(Array.from({ length: 60_000 }, (_, i) => `line ${i} ${'x'.repeat(i % 90)}\n`).join('')) },
      { name: 'b', data: bytesFor(7, 2_500_000) },
      { name: 'no-final-newline', data: Buffer.concat([bytesFor(3, 500_000), Buffer.from('tail without newline')]) },
    ];
    let config = 'global\n    master-worker\n';
    for (const p of programs) {
      const file = join(tmp.dir, `${p.name}.bin`);
      writeFileSync(file, p.data);
      config += `program ${p.name}\n    command cat ${file}\n`;
    }
    const total = programs.reduce((n, p) => n + p.data.length, 0);
    expect(total).toBeGreaterThan(10_000_000);
    const cfg = join(tmp.dir, 'haproxy.cfg');
    writeFileSync(cfg, config);

    const outFile = join(tmp.dir, 'stdout.bin');
    const outFd = openSync(outFile, 'w');
    const child = spawn(process.execPath, [HPM_RUN, '--output', 'prefix', cfg], { stdio: ['ignore', outFd, 'pipe'], env: { ...process.env, HPM_TEST_TAG: tag } });
    closeSync(outFd);
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const { code } = await exitOf(child);
    expect(code, stderr).toBe(0);

    const width = Math.max(...programs.map((p) => p.name.length));
    const streams = unprefix(readFileSync(outFile), width);
    for (const p of programs) {
      const expected = p.data[p.data.length - 1] === 0x0a ? p.data : Buffer.concat([p.data, Buffer.from('\n')]);
      const actual = streams.get(p.name);
      expect(actual?.length, p.name).toBe(expected.length);
      expect(actual?.equals(expected), p.name).toBe(true);
    }
    expect([...streams.keys()].sort()).toEqual(programs.map((p) => p.name).sort());
    expect(await waitNoLeftovers(tag)).toEqual([]);
  });
});
