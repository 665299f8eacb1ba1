import { defineConfig } from 'vitest/config';

// `npm test`: one file per database (PGlite, PostgreSQL), in parallel: most of each file's time is
// the Ponder process starting (twice: the restart test) and waiting on the chain, not CPU.
// `npm run test:deployed` runs *.slow.test.ts (the forge-deployed, seeded system; about 2 minutes).
export default defineConfig({
  test: {
    include: process.env.GAVEL_INDEXER_SLOW === '1' ? ['test/**/*.slow.test.ts'] : ['test/**/*.test.ts', 'src/**/*.test.ts'],
    exclude: process.env.GAVEL_INDEXER_SLOW === '1' ? ['**/node_modules/**'] : ['**/node_modules/**', '**/*.slow.test.ts'],
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
