/**
 * The loader process (config-loader.ts): reads a LoadRequest on stdin, writes the LoadResult
 * as JSON on stdout, exits.
 */
import type { LoadRequest } from './config-loader.js';

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as LoadRequest;
  const { loadRunConfig } = await import('./config.js');
  const result = loadRunConfig(request.paths, request.env);
  process.stdout.write(JSON.stringify(result));
}

await main();
