/**
 * hpm as its users get it: `npm pack`'s tarball installed into a fresh CommonJS project and a
 * fresh ES-module project (one `npm install` each, from the npm registry), then the library
 * (require / import), the four commands and `prettier --plugin=hpm-haproxy/prettier` run from
 * there. Needs `npm run build` (npm test does) and the npm registry; skips, saying why, when
 * the install cannot reach it.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipReason } from '../helpers/env.js';

const root = resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
const built = existsSync(join(root, 'dist/src/index.js'));
const work = mkdtempSync(join(tmpdir(), 'hpm-consumer-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const MESSY = 'global\n  master-worker\n\n\nprogram api\ncommand /bin/true\n';
const FORMATTED = 'global\n    master-worker\n\nprogram api\n    command /bin/true\n';
const SETUP_CFG = '[metadata]\nname = demo\n\n[options]\npackages =\n    demo\n';

function sh(command: string, args: string[], cwd: string, input?: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, input, encoding: 'utf8', timeout: 240_000, env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
}

let tarball = '';
let installFailure: string | undefined;

/** The bundler the ES-module project bundles with (installed in the same npm install). */
const ESBUILD = 'esbuild@0.28.2';

/** A fresh project of the given module type with the tarball installed; undefined if npm failed. */
function project(type: 'commonjs' | 'module'): string | undefined {
  const dir = join(work, type);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${type}`, version: '1.0.0', private: true, type }));
  const install = sh('npm', ['install', '--no-package-lock', tarball, ...(type === 'module' ? [ESBUILD] : [])], dir);
  if (install.status !== 0) {
    installFailure = `npm install of the tarball failed (${install.stderr.trim().split('\n').slice(-3).join(' | ')})`;
    return undefined;
  }
  writeFileSync(join(dir, 'haproxy.cfg'), MESSY);
  return dir;
}

describe.skipIf(skipReason('the package consumer tests', built, 'dist/ is missing: run `npm run build` first'))('the packed package', () => {
  let files: string[] = [];
  const projects: Partial<Record<'commonjs' | 'module', string>> = {};

  beforeAll(() => {
    const pack = sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], root);
    expect(pack.status, pack.stderr).toBe(0);
    const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    tarball = join(work, info!.filename);
    files = info!.files.map((f) => f.path);
    for (const type of ['commonjs', 'module'] as const) {
      const dir = project(type);
      if (dir) projects[type] = dir;
    }
  }, 600_000);

  function installed(type: 'commonjs' | 'module', skip: (note?: string) => void): string {
    const dir = projects[type];
    if (!dir) {
      console.log(`skipping the ${type} consumer test: ${installFailure}`);
      skip(installFailure);
    }
    return dir!;
  }

  it('ships dist, docs, the runnable fixtures and the licence; no test fixtures; source maps with their sources', () => {
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json', 'dist/src/index.js', 'docs/lint.md', 'fixtures/hello.cfg']));
    for (const bin of ['hpm-lint', 'hpm-fmt', 'hpm-run', 'hpm-lsp']) expect(files).toContain(`bin/${bin}.js`);
    expect(files.filter((f) => f.startsWith('fixtures/lint/') || f.startsWith('fixtures/format/'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('test/') || f.startsWith('bench/'))).toEqual([]);
    const maps = files.filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    for (const map of maps) {
      const { sources } = JSON.parse(readFileSync(join(root, map), 'utf8')) as { sources: string[] };
      for (const source of sources) expect(files, `${map} -> ${source}`).toContain(join(map, '..', source));
    }
  });

  it('ships text that speaks of the package alone (no paths outside it, no issue numbers)', () => {
    for (const file of files.filter((f) => /\.(md|ts|js|cfg|yml|json)$/.test(f))) {
      expect(readFileSync(join(root, file), 'utf8'), file).not.toMatch(/\/work\/|\.\.\/shared|issue[ -]#?\d/i);
    }
  });

  it('ships docs whose links point to files in the package', () => {
    for (const doc of files.filter((f) => f.endsWith('.md'))) {
      const text = readFileSync(join(root, doc), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/i.test(target!)) continue;
        const path = join(doc, '..', target!).replace(/\/$/, '');
        expect(files.some((f) => f === path || f.startsWith(`${path}/`)), `${doc} links to ${target}`).toBe(true);
      }
    }
  });

  it('works from CommonJS: require() the library and the Prettier plugin', ({ skip }) => {
    const dir = installed('commonjs', skip);
    writeFileSync(
      join(dir, 'index.js'),
      `const { parse, print, lintPaths, formatConfigText } = require('${pkg.name}');
const plugin = require('${pkg.name}/prettier');
const text = require('fs').readFileSync('haproxy.cfg', 'utf8');
const { ast, diagnostics } = parse(text, { file: 'haproxy.cfg' });
const lint = lintPaths(['haproxy.cfg'], { hostChecks: false });
formatConfigText(text, { filepath: 'haproxy.cfg' }).then((formatted) => {
  console.log(JSON.stringify({ lossless: print(ast) === text, diagnostics: diagnostics.length, errors: lint.errorCount, formatted, parser: plugin.languages[0].parsers[0] }));
});
`,
    );
    const run = sh(process.execPath, ['index.js'], dir);
    // Node 20.19-22.12 may print an ExperimentalWarning for require() of an ES module; nothing else.
    expect(run.stderr).not.toMatch(/Error/);
    expect(JSON.parse(run.stdout)).toEqual({ lossless: true, diagnostics: 0, errors: 0, formatted: FORMATTED, parser: 'haproxy' });
  });

  it('works from ES modules: import the library and the Prettier plugin', ({ skip }) => {
    const dir = installed('module', skip);
    writeFileSync(
      join(dir, 'index.js'),
      `import { parse, lintSources } from '${pkg.name}';
import plugin from '${pkg.name}/prettier';
import * as prettier from 'prettier';
const text = 'program api\\n';
const { diagnostics } = parse(text, { file: 'x.cfg' });
const lint = lintSources([{ file: 'x.cfg', text, encoding: 'utf8' }], { hostChecks: false, masterWorker: true });
const formatted = await prettier.format('global\\ndaemon\\n', { parser: 'haproxy', plugins: [plugin] });
console.log(JSON.stringify({ diagnostics: diagnostics.length, rules: lint.results[0].diagnostics.map((d) => d.ruleId), formatted }));
`,
    );
    const run = sh(process.execPath, ['index.js'], dir);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ diagnostics: 0, rules: ['program/missing-command'], formatted: 'global\n    daemon\n' });
  });

  it('bundles with esbuild into one file that runs without node_modules', ({ skip }) => {
    const dir = installed('module', skip);
    writeFileSync(
      join(dir, 'app.js'),
      `import { parse, lintSources, formatConfigText } from '${pkg.name}';
const text = 'global\\n  master-worker\\nprogram api\\n';
const lint = lintSources([{ file: 'x.cfg', text, encoding: 'utf8' }], { hostChecks: false });
console.log(JSON.stringify({ diagnostics: parse(text).diagnostics.length, errors: lint.errorCount, formatted: await formatConfigText(text, {}) }));
`,
    );
    const bundle = sh(join(dir, 'node_modules/.bin/esbuild'), ['app.js', '--bundle', '--platform=node', '--format=esm', '--outfile=out/app.mjs', '--log-level=error'], dir);
    expect(bundle.status, bundle.stderr).toBe(0);
    // Run it from a directory with no node_modules: everything it needs is in the bundle.
    const alone = mkdtempSync(join(work, 'bundle-'));
    writeFileSync(join(alone, 'app.mjs'), readFileSync(join(dir, 'out/app.mjs')));
    const run = sh(process.execPath, ['app.mjs'], alone);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ diagnostics: 0, errors: 1, formatted: 'global\n    master-worker\n\nprogram api\n' });
  });

  it.for(['commonjs', 'module'] as const)('runs the commands installed in a %s project', (type, { skip }) => {
    const dir = installed(type, skip);
    const bin = (name: string) => join(dir, 'node_modules/.bin', name);
    const hello = join(dir, 'node_modules', pkg.name, 'fixtures/hello.cfg');
    for (const name of ['hpm-lint', 'hpm-fmt', 'hpm-run', 'hpm-lsp']) expect(sh(bin(name), ['--version'], dir).stdout).toBe(`${pkg.version}\n`);
    expect(sh(bin('hpm-lint'), [hello], dir)).toMatchObject({ status: 0, stdout: '' });
    const lintStdin = sh(bin('hpm-lint'), ['--no-host-checks', '-'], dir, 'program api\n');
    expect(lintStdin.status).toBe(1);
    expect(lintStdin.stdout).toContain('program/missing-command');
    expect(sh(bin('hpm-fmt'), ['--check', 'haproxy.cfg'], dir)).toMatchObject({ status: 1, stdout: 'haproxy.cfg\n' });
    expect(sh(bin('hpm-fmt'), ['haproxy.cfg'], dir).stdout).toBe(FORMATTED);
    expect(sh(bin('hpm-run'), ['-c', hello], dir)).toMatchObject({ status: 0, stdout: 'Configuration file is valid\n' });
    const run = sh(bin('hpm-run'), [hello], dir);
    expect(run).toMatchObject({ status: 0, stdout: 'hello, world\n' });
    expect(run.stderr).toMatch(/New program 'echo' \(\d+\) forked/);
    const prettier = sh(bin('prettier'), [`--plugin=${pkg.name}/prettier`, '--check', 'haproxy.cfg'], dir);
    expect(prettier.status).toBe(1);
    expect(prettier.stderr).toContain('haproxy.cfg');
  });

  it('prettier --write . with the plugin configured formats haproxy.cfg and leaves setup.cfg alone', ({ skip }) => {
    const dir = installed('module', skip);
    const site = join(dir, 'site');
    mkdirSync(join(site, 'haproxy/conf.d'), { recursive: true });
    writeFileSync(join(site, '.prettierrc.json'), JSON.stringify({ plugins: [`${pkg.name}/prettier`] }));
    writeFileSync(join(site, 'setup.cfg'), SETUP_CFG);
    writeFileSync(join(site, 'tox.cfg'), SETUP_CFG);
    writeFileSync(join(site, 'haproxy.cfg'), MESSY);
    writeFileSync(join(site, 'haproxy/conf.d/10-api.cfg'), MESSY);
    const run = sh(join(dir, 'node_modules/.bin/prettier'), ['--write', '.'], site);
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(join(site, 'setup.cfg'), 'utf8')).toBe(SETUP_CFG);
    expect(readFileSync(join(site, 'tox.cfg'), 'utf8')).toBe(SETUP_CFG);
    expect(readFileSync(join(site, 'haproxy.cfg'), 'utf8')).toBe(FORMATTED);
    expect(readFileSync(join(site, 'haproxy/conf.d/10-api.cfg'), 'utf8')).toBe(FORMATTED);
  });
});
