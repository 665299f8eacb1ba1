import type { NextConfig } from 'next';

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // @gavel/contracts ships TypeScript sources (ts/index.ts); let Next compile them.
  transpilePackages: ['@gavel/contracts'],
  typescript: { tsconfigPath: './tsconfig.json' },
};

export default config;
