import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { defineConfig, globalIgnores } from 'eslint/config';

export default defineConfig([
  // tmp/ as .gitignore has it: scratch builds and scripts inside a clone are not the project's code.
  globalIgnores(['dist/', 'node_modules/', 'coverage/', 'tmp/']),
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
            { group: ['**/store/**', '**/ui/**', '**/console/**', '**/commands/**', '../store/*', '../ui/*', '../console/*', '../commands/*'], message: 'src/engine must not import the shell.' },
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
  {
    // The data on disk: formats, validation, locks, writes, decisions, audit, exports. No UI, no console state.
    files: ['src/store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['ink', 'ink-*', 'react', 'react/*', 'zustand', 'zustand/*'], message: 'src/store has no React, Ink or zustand: that is src/console and src/ui.' },
            { group: ['**/console/**', '**/ui/**', '**/commands/**', '../console/*', '../ui/*', '../commands/*'], message: 'src/store must not import the console, the UI or the commands.' },
          ],
        },
      ],
    },
  },
  {
    // The interactive runtime: state, live watch, worker jobs, review actions. No JSX, no Ink, no UI imports.
    files: ['src/console/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['ink', 'ink-*', 'react', 'react/*'], message: 'src/console has no JSX or Ink: render in src/ui.' },
            { group: ['**/ui/**', '**/commands/**', '../ui/*', '../commands/*'], message: 'src/console must not import the UI or the commands.' },
          ],
        },
      ],
    },
  },
  {
    // Headless commands never load Ink or the console.
    files: ['src/commands/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['ink', 'ink-*', 'react', 'react/*', 'zustand', 'zustand/*'], message: 'headless commands never load Ink or zustand.' },
            { group: ['**/ui/**', '**/console/**', '../ui/*', '../console/*'], message: 'headless commands never load the console or the UI.' },
          ],
        },
      ],
    },
  },
]);
