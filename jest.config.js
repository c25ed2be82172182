// Two projects: unit tests beside the code, and whole flows with real processes in test/e2e.
// ESM-only packages (jose, hyparquet and its compressors/writer) are transformed so that Jest's CommonJS runtime can load them.
const shared = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]sx?$': [
      'ts-jest',
      {
        tsconfig: {
          allowJs: true,
          esModuleInterop: true,
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          target: 'ES2022',
          module: 'commonjs',
          isolatedModules: true,
          types: ['node', 'jest'],
        },
      },
    ],
  },
  transformIgnorePatterns: ['node_modules/(?!(jose|hyparquet|hyparquet-compressors|hyparquet-writer|hysnappy)/)'],
  moduleNameMapper: {
    '^@purview-emulator/(contracts|scan-engine|relay|secret-box|testing)$': '<rootDir>/libs/$1/src',
    // The portal's alias for contract shapes (apps/portal/vite.config.ts).
    '^@contracts/(.*)$': '<rootDir>/libs/contracts/src/$1',
  },
};

module.exports = {
  // Many unit specs boot a whole emulator (Nest app, SQLite, generated API docs) inside a test; on a busy 2-core
  // machine that outgrows Jest's 5 s default and fails them at random. Global only: a project entry would not apply it
  // (whole flows set their own limit in test/e2e/jest-setup.ts).
  testTimeout: 30_000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/scripts'],
      testMatch: ['**/src/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      roots: ['<rootDir>/test/e2e'],
      testMatch: ['**/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/e2e/jest-setup.ts'],
    },
  ],
};
