import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'src/**/*.test.ts'],
    // Live-API tests (*.int.test.ts) need real credentials and are never part of the default run.
    exclude: ['**/node_modules/**', '**/*.int.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Builds the shared checklist index once, before the test files run (tests/helpers/test-index-setup.ts).
    globalSetup: ['tests/helpers/test-index-setup.ts'],
  },
});
