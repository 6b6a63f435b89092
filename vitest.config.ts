import { defineConfig } from 'vitest/config';
import { scaled } from './test/support/timing.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Per-test and per-hook limits follow the suite's timer scale (TIDEWIRE_TEST_SCALE).
    testTimeout: scaled(30_000),
    hookTimeout: scaled(30_000),
    pool: 'forks',
    reporters: ['default'],
  },
});
