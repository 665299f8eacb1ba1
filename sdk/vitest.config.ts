import { defineConfig } from 'vitest/config';

// The SDK's suite: rule tests beside the code, differential tests against anvil in test/.
// One file at a time: two files broadcasting the forge deploy script at once (each to its own
// anvil) were seen to hang one broadcast until its timeout on a loaded 2-core machine, and the
// differential tests are each a few seconds, so running them in turn costs little.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'pack/**', 'examples/**'],
    fileParallelism: false,
  },
});
