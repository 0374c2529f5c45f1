/** The program model as hpm-run and the lint rules see it (haproxy.md §2.1, hpm-run.md). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildModel, expandConfigPaths, loadConfig, readConfig } from '../../src/model/index.js';
import { parse, parseFiles } from '../../src/syntax/index.js';

const modelOf = (text: string, env: Record<string, string> = {}) => buildModel([parse(text, { file: 'h.cfg', env }).ast]);

describe('buildModel', () => {
  it('the last command wins; the first user and group win', () => {
    const { programs } = modelOf('program p\n    command sleep 1\n    user nobody\n    user daemon\n    group nogroup\n    group daemon\n    command sleep 2\n');
    expect(programs).toHaveLength(1);
    expect(programs[0]).toMatchObject({ name: 'p', argv: ['sleep', '2'], user: 'nobody', group: 'nogroup' });
    expect(programs[0]!.commands).toHaveLength(2);
    expect(programs[0]!.users.map((u) => u.args)).toEqual([['nobody'], ['daemon']]);
  });

  it('start-on-reload is on by default, off with "no option start-on-reload"', () => {
    expect(modelOf('program p\n    command a\n').programs[0]!.startOnReload).toBe(true);
    expect(modelOf('program p\n    command a\n    no option start-on-reload\n').programs[0]!.startOnReload).toBe(false);
    // `default option` is always rejected by HAProxy (§1.8), so it changes nothing.
    expect(modelOf('program p\n    command a\n    no option start-on-reload\n    default option start-on-reload\n').programs[0]!.startOnReload).toBe(false);
  });

  it('an empty word cuts the argv as HAProxy does', () => {
    expect(modelOf('program p\n    command echo "${NOPE}" after\n').programs[0]!.argv).toEqual(['echo']);
  });

  it('parses the hpm-run extensions, and keeps unknown keywords apart', () => {
    const { programs } = modelOf(
      'program p\n    command a\n.if defined(HPM_RUN)\n    restart on-failure\n    stop-signal INT\n    stop-timeout 2s\n.endif\n    frobnicate 1\n',
      { HPM_RUN: '1' },
    );
    expect(programs[0]!.extensions).toEqual({ restart: 'on-failure', stopSignal: 'SIGINT', stopTimeoutMs: 2000 });
    expect(programs[0]!.unknown.map((u) => u.line.keyword)).toEqual(['frobnicate']);
  });

  it('HAProxy (no HPM_RUN) does not read the guarded extensions', () => {
    const { programs } = modelOf('program p\n    command a\n.if defined(HPM_RUN)\n    restart always\n.endif\n');
    expect(programs[0]!.extensions).toEqual({});
    expect(programs[0]!.extensionUses).toEqual([]);
  });

  it('invalid extension values are left at their defaults', () => {
    const { programs } = modelOf('program p\n    command a\n    restart sometimes\n    stop-timeout 5 parsecs\n');
    expect(programs[0]!.extensions).toEqual({});
    expect(programs[0]!.extensionUses).toHaveLength(2);
  });

  it('reads master-worker and the env keywords of global', () => {
    const { global } = modelOf('global\n    master-worker no-exit-on-failure\n    setenv A 1\n    unsetenv B\nprogram p\n    command "$A"\n');
    expect(global).toMatchObject({ masterWorker: true, noExitOnFailure: true });
    expect(global.envLines.map((e) => [e.line.keyword, e.args])).toEqual([
      ['setenv', ['A', '1']],
      ['unsetenv', ['B']],
    ]);
  });

  it('a setenv applies to later lines, in the same file and in the next one', () => {
    const { files } = parseFiles(
      [
        { file: 'a.cfg', text: 'global\n    setenv BIN /opt/bin\nprogram p\n    command "$BIN/p"\n' },
        { file: 'b.cfg', text: 'program q\n    command "$BIN/q"\n' },
      ],
      { env: {} },
    );
    expect(buildModel(files).programs.map((p) => p.argv)).toEqual([['/opt/bin/p'], ['/opt/bin/q']]);
  });

  it('a program inside a false .if does not exist', () => {
    expect(modelOf('.if 0\nprogram p\n    command a\n.endif\n').programs).toEqual([]);
  });
});

describe('loading files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hpm-model-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a directory gives its *.cfg files in C order, and the model spans them', () => {
    writeFileSync(join(dir, 'b.cfg'), 'program b\n    command b\n');
    writeFileSync(join(dir, 'A.cfg'), 'program a\n    command a\n');
    writeFileSync(join(dir, 'notes.txt'), 'program x\n');
    expect(expandConfigPaths([dir]).map((p) => p.slice(dir.length + 1))).toEqual(['A.cfg', 'b.cfg']);
    expect(loadConfig([dir]).model.programs.map((p) => p.name)).toEqual(['a', 'b']);
  });

  it('a latin-1 file is read byte for byte and positions count its bytes', () => {
    const path = join(dir, 'latin.bin');
    writeFileSync(path, Buffer.from('program p\n    command \xe9 "$1"\n', 'latin1'));
    const { diagnostics, sources } = loadConfig([path]);
    expect(sources[0]!.encoding).toBe('latin1');
    // é is one byte in this file (two in UTF-8): the bad name character `1` is at byte 17.
    expect(diagnostics.map((d) => d.message)).toEqual(['forbidden first char in environment variable name at position 17']);
  });

  it('readConfig uses the env it is given', () => {
    const { model } = readConfig([{ file: 'x.cfg', text: 'program p\n    command "$X"\n', encoding: 'utf8' }], { env: { X: 'from-env' } });
    expect(model.programs[0]!.argv).toEqual(['from-env']);
  });
});

describe('\\x bytes in argv', () => {
  it('UTF-8 file: a valid UTF-8 run of \\x bytes is the character it encodes', () => {
    expect(modelOf('program p\n    command x \\xc3\\xa9\n').programs[0]!.argv).toEqual(['x', 'é']);
  });
  it('latin-1 file: every \\x byte stays one character, so encoding back gives the bytes HAProxy passes', () => {
    const { model, sources } = readConfig([{ file: 'l.cfg', text: 'program p\n    command x \\xc3\\xa9 \\xff\n', encoding: 'latin1' }]);
    const argv = model.programs[0]!.argv!;
    expect(argv.map((a) => [...Buffer.from(a, sources[0]!.encoding)])).toEqual([[0x78], [0xc3, 0xa9], [0xff]]);
  });
});
