/**
 * A real editor: Neovim (Debian's package), headless, with a minimal Lua config that starts
 * hpm-lsp for a haproxy.cfg buffer, waits for its diagnostics, formats the buffer through the
 * server, and writes both to a JSON file that this test reads.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { skipReason } from '../helpers/env.js';
import { lspBin, root } from './helpers.js';

const built = existsSync(join(root, 'dist/src/lsp/server.js'));
const nvimVersion = (() => {
  const probe = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.split('\n')[0] : undefined;
})();
const dir = mkdtempSync(join(tmpdir(), 'hpm-nvim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Neovim 0.7 (Debian 12) has vim.lsp.start_client and formatting_sync; newer ones vim.lsp.buf.format.
const CONFIG = `
local out = os.getenv('HPM_NVIM_OUT')
local function finish(result, client)
  vim.fn.writefile({ vim.fn.json_encode(result) }, out)
  -- shutdown + exit to the server, and wait for it, so no server outlives the editor.
  local c = vim.lsp.get_client_by_id(client)
  if c then
    c.stop()
    vim.wait(5000, function() return c.is_stopped() end, 50)
  end
  vim.cmd('qa!')
end
vim.api.nvim_create_autocmd('VimEnter', { callback = function()
  local buf = vim.api.nvim_get_current_buf()
  local client = vim.lsp.start_client({
    name = 'hpm-lsp',
    cmd = { os.getenv('HPM_NODE'), os.getenv('HPM_LSP'), '--stdio' },
    root_dir = vim.fn.getcwd(),
    init_options = { hostChecks = false },
  })
  vim.lsp.buf_attach_client(buf, client)
  local got = vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
  local diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(diagnostics, { line = d.lnum + 1, message = d.message, code = lsp.code or d.code or vim.NIL })
  end
  if vim.lsp.buf.format then
    vim.lsp.buf.format({ bufnr = buf, timeout_ms = 10000 })
  else
    vim.lsp.buf.formatting_sync(nil, 10000)
  end
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  finish({ waited = got, diagnostics = diagnostics, formatted = table.concat(lines, '\\n') .. '\\n' }, client)
end })
`;

const tag = `hpm-nvim-${process.pid}-${Date.now()}`;

/** Processes whose environment carries the tag: what this test started and left running. */
function processesTagged(value: string): number[] {
  const found: number[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`HPM_TEST_TAG=${value}`)) found.push(Number(pid));
    } catch {
      /* gone, or not ours to read */
    }
  }
  return found;
}

describe.skipIf(
  skipReason('the Neovim test', built, 'run `npm run build` first (npm test does)') ||
    skipReason('the Neovim test', nvimVersion !== undefined, 'nvim is not installed (apt-get install -y neovim)'),
)(`hpm-lsp in ${nvimVersion ?? 'Neovim'}`, () => {
  it('shows the diagnostic on the right line and formats the buffer', () => {
    const config = join(dir, 'init.lua');
    const out = join(dir, 'result.json');
    const cfg = join(dir, 'haproxy.cfg');
    writeFileSync(config, CONFIG);
    writeFileSync(cfg, 'global\n  master-worker\n\n\nprogram api\nuser nobody\n');
    const run = spawnSync('nvim', ['--headless', '-n', '-i', 'NONE', '-u', config, cfg], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, HPM_NVIM_OUT: out, HPM_NODE: process.execPath, HPM_LSP: lspBin, HPM_TEST_TAG: tag },
    });
    expect(processesTagged(tag), 'hpm-lsp outlived the editor').toEqual([]);
    expect(existsSync(out), `nvim wrote no result (exit ${run.status}): ${run.stderr}`).toBe(true);
    const result = JSON.parse(readFileSync(out, 'utf8')) as { waited: boolean; diagnostics: { line: number; message: string; code: string }[]; formatted: string };
    expect(result.waited).toBe(true);
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ line: 5, code: 'program/missing-command' }));
    expect(result.formatted).toBe('global\n    master-worker\n\nprogram api\n    user nobody\n');
  });
});
