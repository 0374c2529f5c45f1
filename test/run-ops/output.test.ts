/**
 * Prefixed output: every byte of every program comes back once the prefixes are removed, lines
 * stay whole, partial lines wait for their newline, binary bytes pass through.
 */
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LinePrefixer, MAX_LINE_BYTES, PrefixedOutput, resolveOutputMode } from '../../src/run/output.js';
import { unprefix } from './unprefix.js';

class Sink extends Writable {
  readonly chunks: Buffer[] = [];
  _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.chunks.push(chunk);
    done();
  }
  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

describe('LinePrefixer', () => {
  const prefixer = (out: Buffer[]) => new LinePrefixer((first) => Buffer.from(first ? 'p | ' : 'p + '), (c) => (out.push(c), true));

  it('keeps a partial line until its newline, across chunks', () => {
    const out: Buffer[] = [];
    const p = prefixer(out);
    p.push(Buffer.from('hel'));
    expect(Buffer.concat(out).toString()).toBe('');
    p.push(Buffer.from('lo\nwor'));
    p.push(Buffer.from('ld\n'));
    expect(Buffer.concat(out).toString()).toBe('p | hello\np | world\n');
  });

  it('writes a last line without newline at the end, adding one', () => {
    const out: Buffer[] = [];
    const p = prefixer(out);
    p.push(Buffer.from('a\nb'));
    p.end();
    expect(Buffer.concat(out).toString()).toBe('p | a\np | b\n');
  });

  it('passes binary bytes and empty lines through', () => {
    const out: Buffer[] = [];
    const p = prefixer(out);
    const bytes = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x0a, 0x80, 0x1b, 0x0a]);
    p.push(bytes);
    expect(Buffer.concat(out)).toEqual(Buffer.concat([Buffer.from('p | '), bytes.subarray(0, 4), Buffer.from('p | \n'), Buffer.from('p | '), bytes.subarray(5)]));
  });

  it('cuts a line longer than 64 KiB and marks the continuation', () => {
    const out: Buffer[] = [];
    const p = prefixer(out);
    const long = Buffer.alloc(MAX_LINE_BYTES * 2 + 10, 0x61);
    p.push(long);
    p.push(Buffer.from('\n'));
    const text = Buffer.concat(out).toString();
    expect(text.split('\n').map((l) => l.slice(0, 4))).toEqual(['p | ', 'p + ', 'p + ', '']);
    expect(unprefix(Buffer.concat(out), 1).get('p')?.equals(Buffer.concat([long, Buffer.from('\n')]))).toBe(true);
  });
});

describe('PrefixedOutput', () => {
  it('pads names to the longest and keeps stdout and stderr apart', async () => {
    const stdout = new Sink();
    const stderr = new Sink();
    const output = await PrefixedOutput.create({ stdout, stderr, color: false });
    output.setNames(['web', 'dataplaneapi']);
    const a = new PassThrough();
    const b = new PassThrough();
    const done = [output.attach('web', a, 'stdout'), output.attach('dataplaneapi', b, 'stderr')];
    a.end('GET /\n');
    b.end('starting\n');
    await Promise.all(done);
    expect(stdout.bytes.toString()).toBe('web          | GET /\n');
    expect(stderr.bytes.toString()).toBe('dataplaneapi | starting\n');
  });

  it('colours the prefix when asked (a terminal)', async () => {
    const stdout = new Sink();
    const output = await PrefixedOutput.create({ stdout, stderr: new Sink(), color: true });
    output.setNames(['web']);
    const a = new PassThrough();
    const done = output.attach('web', a, 'stdout');
    a.end('x\n');
    await done;
    expect(stdout.bytes.toString()).toMatch(/^\u001b\[\d+mweb \|\u001b\[\d+m x\n$/);
  });

  it('honours NO_COLOR, FORCE_COLOR and TERM=dumb as hpm-lint does', async () => {
    const prefixOf = async (isTTY: boolean, env: Record<string, string>): Promise<string> => {
      const saved = { NO_COLOR: process.env.NO_COLOR, FORCE_COLOR: process.env.FORCE_COLOR, TERM: process.env.TERM };
      delete process.env.NO_COLOR;
      delete process.env.FORCE_COLOR;
      process.env.TERM = 'xterm';
      Object.assign(process.env, env);
      try {
        const stdout = Object.assign(new Sink(), { isTTY });
        const output = await PrefixedOutput.create({ stdout, stderr: new Sink() });
        output.setNames(['web']);
        const source = new PassThrough();
        const done = output.attach('web', source, 'stdout');
        source.end('x\n');
        await done;
        return stdout.bytes.toString();
      } finally {
        for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
      }
    };
    expect(await prefixOf(true, {})).toMatch(/^\u001b\[\d+mweb \|/);
    expect(await prefixOf(true, { NO_COLOR: '1' })).toBe('web | x\n');
    expect(await prefixOf(false, {})).toBe('web | x\n');
    expect(await prefixOf(false, { FORCE_COLOR: '1' })).toMatch(/^\u001b\[\d+mweb \|/);
    // The same rule as hpm-lint's: FORCE_COLOR=0 and a dumb terminal mean no colour.
    expect(await prefixOf(true, { FORCE_COLOR: '0' })).toBe('web | x\n');
    expect(await prefixOf(true, { TERM: 'dumb' })).toBe('web | x\n');
  });

  it('chooses prefix for a terminal and inherit otherwise, unless told', () => {
    expect(resolveOutputMode(undefined, true)).toBe('prefix');
    expect(resolveOutputMode(undefined, false)).toBe('inherit');
    expect(resolveOutputMode('inherit', true)).toBe('inherit');
    expect(() => resolveOutputMode('xml', false)).toThrow(/expected/);
  });
});
