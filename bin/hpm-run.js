#!/usr/bin/env node
import { main } from '../dist/bin/hpm-run.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`hpm-run: internal error: ${error?.stack ?? error}`);
    process.exitCode = 2;
  },
);
