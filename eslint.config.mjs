// Lint: typescript-eslint's type-aware rules (floating promises, unsafe any, misused promises) over every TypeScript
// source, test and script; formatting is Prettier's job, so eslint-config-prettier turns off the rules that would fight it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'coverage/**',
      '.data/**',
      'tools/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: ['./tsconfig.check.json'], tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Nest's interfaces (OnModuleInit, ExceptionFilter, guards) and the BlobConnector twins are async by contract.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // The portal is a browser app with its own compiler settings (DOM, JSX, bundler resolution).
    files: ['apps/portal/**/*.ts', 'apps/portal/**/*.tsx'],
    languageOptions: {
      parserOptions: { project: ['./apps/portal/tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    // Tests read untyped JSON bodies (supertest's `any`) and pass methods of fakes around; the sources may not.
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts', '**/testing/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
    },
  },
  prettier,
);
