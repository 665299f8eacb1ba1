import { defineConfig } from 'vitest/config';

// `npm test`: unit and property tests beside the code. Benchmarks (bench/**) run only through
// `npm run bench` (vitest.bench.config.ts).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'bench/**'],
  },
});
