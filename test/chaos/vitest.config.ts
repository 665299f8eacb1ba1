import { defineConfig } from 'vitest/config';

// The chaos suite (issue 14): the real keeper CLI against anvil behind a fault-injecting JSON-RPC
// proxy, judged from chain truth. `npm run chaos` runs the full matrix; `npm test` runs the short
// form (GAVEL_CHAOS=short, stage "chaos" of scripts/test-all.mjs).
export default defineConfig({
  test: {
    include: ['test/chaos/**/*.test.ts'],
    testTimeout: 10 * 60_000,
    hookTimeout: 5 * 60_000,
    fileParallelism: false,
  },
});
