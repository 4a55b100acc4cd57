import { defineConfig } from 'vitest/config';

// Two cores on the reference machine: keep the pool small so browser and child-process tests do not starve.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
