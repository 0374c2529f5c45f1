#!/usr/bin/env node
import module from 'node:module';

// Node 22.1+ keeps V8's compiled code of the bundle between runs (start-up); Node 20 has no such cache.
module.enableCompileCache?.();
const { main } = await import('../dist/bin/hpm-lsp.js');

main(process.argv.slice(2)).then(
  (code) => {
    // undefined: the server runs until the editor ends the connection.
    if (code !== undefined) process.exitCode = code;
  },
  (error) => {
    console.error(`hpm-lsp: internal error: ${error?.stack ?? error}`);
    process.exitCode = 2;
  },
);
