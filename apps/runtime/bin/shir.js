#!/usr/bin/env node
// Thin launcher so the `shir` bin exists before the TypeScript build has run. It relaunches node with a bounded
// heap (dist/heap-limit.js says why) unless the user set one; the relaunched process is the real `shir`.
const { spawn } = require('node:child_process');
const { heapLimitFlags } = require('../dist/heap-limit.js');

const flags = heapLimitFlags(process.execArgv, process.env.NODE_OPTIONS);
if (flags === undefined) {
  require('../dist/cli.js')
    .main()
    .then((code) => process.exit(code));
} else {
  const child = spawn(process.execPath, [...flags, ...process.execArgv, __filename, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  // `shir stop` signals the host service's own pid (the child); a signal sent to this launcher is passed on.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    process.stderr.write(`shir: cannot start node: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) =>
    process.exit(code ?? (signal ? 128 + require('node:os').constants.signals[signal] : 1)),
  );
}
