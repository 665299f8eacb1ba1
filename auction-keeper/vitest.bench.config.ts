import { defineConfig } from 'vitest/config';

// `npm run bench`: plain vitest tests under bench/ that print a table and write
// ../bench-results/keeper.json. One forked worker with --expose-gc so memory can be measured
// after a full collection.
export default defineConfig({
  test: {
    include: ['bench/**/*.bench.ts'],
    pool: 'forks',
    execArgv: ['--expose-gc'],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
