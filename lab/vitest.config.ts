import { defineConfig } from 'vitest/config';

// Unit tests of the lab's pure parts (schemas, market, agents, margin book) and the smoke runs against
// anvil (lab/test/smoke.test.ts, about a minute: a forge deploy plus 45 simulated steps;
// lab/test/margin-smoke.test.ts, about 30 s: a deploy plus the margin comparison's two runs of 45 steps).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The threat model's claims run minutes: `npm run stress:claims` (vitest.claims.config.ts).
    exclude: ['test/claims.test.ts', '**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
