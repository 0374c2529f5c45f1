#!/usr/bin/env node
import { main } from '../dist/bin/hpm-lsp.js';

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
