import { defineConfig } from 'vitest/config';

// The system scenario (npm test runs it through scripts/test-all.mjs, stage "system"): one headless
// demo run of several minutes on a real anvil with 1-second blocks.
export default defineConfig({
  test: {
    include: ['test/system/**/*.test.ts'],
    testTimeout: 20 * 60_000,
    hookTimeout: 20 * 60_000,
  },
});
