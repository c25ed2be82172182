#!/usr/bin/env node
// Thin launcher so the `shir` bin exists before the TypeScript build has run.
require('../dist/cli.js')
  .main()
  .then((code) => process.exit(code));
