#!/usr/bin/env node
// A committed shim, so that npm links the bin at install time, before dist/ is built.
const { main } = require('../dist/cli/main.js');
main(process.argv.slice(2), process.stdout, process.stderr).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
