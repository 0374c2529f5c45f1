#!/usr/bin/env node
import { main } from '../dist/bin/hpm-lint.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`hpm-lint: internal error: ${error?.stack ?? error}`);
    process.exitCode = 2;
  },
);
