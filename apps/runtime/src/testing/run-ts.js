// Lets a child `node` process run the runtime's TypeScript sources directly (unit tests start the real CLI this way:
// `node -r apps/runtime/src/testing/run-ts.js apps/runtime/src/cli.ts start …`). Each .ts file is transpiled on
// load with the TypeScript compiler (no type check); @purview-emulator/* resolve to the libs' sources.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const ts = require('typescript');

const repoRoot = path.resolve(__dirname, '../../../..');
const libs = {
  '@purview-emulator/contracts': 'libs/contracts/src/index.ts',
  '@purview-emulator/scan-engine': 'libs/scan-engine/src/index.ts',
  '@purview-emulator/secret-box': 'libs/secret-box/src/index.ts',
};

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (Object.prototype.hasOwnProperty.call(libs, request)) return path.join(repoRoot, libs[request]);
  return resolve.call(this, request, parent, ...rest);
};

require.extensions['.ts'] = function (module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      sourceMap: false,
    },
  });
  module._compile(outputText, filename);
};
