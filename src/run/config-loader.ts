/**
 * Loading a configuration in a short-lived Node process: the parser and the lint rules (about
 * 30 MB with chevrotain) then never live in the supervisor, which stays small however long it
 * runs. HAProxy's master re-executes itself at each reload for the same reason. The child gets
 * the request as JSON on stdin and answers a LoadResult as JSON on stdout.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LoadResult } from './spec.js';

export interface LoadRequest {
  paths: string[];
  env: Record<string, string>;
}

const CHILD = fileURLToPath(new URL('./config-loader-child.js', import.meta.url));

export function loadRunConfigInChild(paths: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<LoadResult> {
  const plainEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) plainEnv[k] = v;
  const request: LoadRequest = { paths: [...paths], env: plainEnv };
  if (!existsSync(CHILD)) {
    // Running from the TypeScript sources (vitest): there is no compiled child to start.
    return import('./config.js').then(({ loadRunConfig }) => loadRunConfig(paths, env));
  }
  return new Promise((resolve) => {
    const failed = (why: string): void => resolve({ ok: false, diagnostics: [], fatal: `Cannot load the configuration: ${why}` });
    const child = spawn(process.execPath, [CHILD], { stdio: ['pipe', 'pipe', 'inherit'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.on('error', (error) => failed(error.message));
    child.on('close', (code, signal) => {
      if (code !== 0) return failed(`the loader exited with ${signal ?? `code ${code}`}`);
      try {
        resolve(JSON.parse(Buffer.concat(out).toString('utf8')) as LoadResult);
      } catch (error) {
        failed((error as Error).message);
      }
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(JSON.stringify(request));
  });
}
