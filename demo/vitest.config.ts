import { defineConfig } from 'vitest/config';

// Unit tests of the demo's pure parts (price path, pool math, latency accounting). The scenario
// itself is tested end to end by test/system.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
  },
});
