import { defineConfig } from 'vitest/config';

// `npm run stress:claims`: the threat model's crash-lab claims (lab/test/claims.test.ts), about three
// minutes on two cores; not part of npm test (lab/vitest.config.ts excludes it).
export default defineConfig({
  test: {
    include: ['test/claims.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
  },
});
