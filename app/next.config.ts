import type { NextConfig } from 'next';

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // @gavel/sdk ships TypeScript sources in the workspace (src/index.ts); let Next compile them.
  transpilePackages: ['@gavel/sdk'],
  typescript: { tsconfigPath: './tsconfig.json' },
  // A separate build folder per consumer (`npm run demo` builds into .next-demo for its own RPC URL)
  // so the demo and the e2e suite never overwrite each other's production build.
  distDir: process.env.GAVEL_NEXT_DIST_DIR ?? '.next',
};

export default config;
