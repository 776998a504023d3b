import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30000,
    hookTimeout: 60000,
    // Builds dist/ once, for the end-to-end tests that run the real CLI.
    globalSetup: ['test/e2e/global-setup.ts'],
  },
});
