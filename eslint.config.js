import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { defineConfig, globalIgnores } from 'eslint/config';

export default defineConfig([
  globalIgnores(['dist/', 'node_modules/', 'coverage/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The engine is the functional core: no I/O, no UI, no persistence.
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'os', 'child_process'], message: 'src/engine is pure: no Node I/O.' },
            { group: ['ink', 'ink-*', 'react', 'react/*', 'lowdb', 'lowdb/*', 'zustand', 'zustand/*', 'chalk'], message: 'src/engine is pure: no UI or persistence libraries.' },
            { group: ['**/store/**', '**/ui/**', '../store/*', '../ui/*'], message: 'src/engine must not import the shell.' },
          ],
        },
      ],
      // No clock: time comes in as an argument. (Date.UTC for parsing is fine.)
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'time comes in as an argument' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'time comes in as an argument' },
        { selector: "MemberExpression[object.name='performance']", message: 'time comes in as an argument' },
      ],
    },
  },
]);
