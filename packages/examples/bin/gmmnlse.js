#!/usr/bin/env node
// A committed shim, so that npm links the bin at install time, before dist/ is built.
const { main } = require('../dist/fiber/cli.js');
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
