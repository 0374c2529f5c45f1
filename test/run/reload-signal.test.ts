/** `reload-signal auto|<SIG>|none`: what the model accepts, and what hpm-run refuses before starting. */
import { afterAll, describe, expect, it } from 'vitest';
import { parseExtension } from '../../src/model/extensions.js';
import { loadRunConfig } from '../../src/run/config.js';
import { fileAccounts } from '../../src/model/index.js';
import { tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('reload-signal', () => {
  it('auto, none, a signal name or number', () => {
    expect(parseExtension('reload-signal', ['auto'])).toEqual({ ok: true, value: { reloadSignal: 'auto' } });
    expect(parseExtension('reload-signal', ['none'])).toEqual({ ok: true, value: { reloadSignal: 'none' } });
    expect(parseExtension('reload-signal', ['USR1'])).toEqual({ ok: true, value: { reloadSignal: 'SIGUSR1' } });
    expect(parseExtension('reload-signal', ['1'])).toEqual({ ok: true, value: { reloadSignal: 'SIGHUP' } });
    expect(parseExtension('reload-signal', ['sometimes'])).toMatchObject({ ok: false, message: "unknown signal 'sometimes'" });
    expect(parseExtension('reload-signal', [])).toMatchObject({ ok: false, message: "'reload-signal' expects exactly one argument (auto|<signal>|none), got 0" });
  });

  it('defaults to auto; an invalid value stops hpm-run before anything starts (hpm/unknown-signal)', () => {
    const accounts = fileAccounts({ users: [], groups: [] });
    const good = tmp.write('good.cfg', 'global\n    master-worker\nprogram a\n    command sleep 1\n    no option start-on-reload\nprogram b\n    command sleep 2\n.if defined(HPM_RUN)\n    reload-signal none\n.endif\n');
    const loaded = loadRunConfig([good], {}, accounts);
    expect(loaded.ok && loaded.config.programs.map((p) => p.reloadSignal)).toEqual(['auto', 'none']);
    const bad = tmp.write('bad.cfg', 'global\n    master-worker\nprogram a\n    command sleep 1\n.if defined(HPM_RUN)\n    reload-signal FOO\n.endif\n');
    const refused = loadRunConfig([bad], {}, accounts);
    expect(refused.ok).toBe(false);
    expect(refused.diagnostics.map((d) => [d.ruleId, d.message])).toEqual([['hpm/unknown-signal', "unknown signal 'FOO'"]]);
  });
});
