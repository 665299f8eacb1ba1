#!/usr/bin/env node
// `npm run demo` — the main job: a local chain, the deployed protocol, hundreds of vaults, a
// market crash, the keeper and the app. Not built yet: it needs the liquidation engine and
// auctions, the keeper and the app. Until then it says so and fails instead of pretending.
const missing = [
  'liquidation engine + Dutch auctions + deploy script (Contracts II)',
  'auction-keeper run loop (keeper issue)',
  'the Next.js app (dApp issue)',
  'the scenario runner itself (main-job issue)',
];
process.stderr.write(
  `npm run demo: not available yet — the demo needs parts that do not exist in this checkout:\n${missing
    .map((m) => `  - ${m}`)
    .join('\n')}\nNothing was started. \`npm test\` runs every suite that exists today.\n`,
);
process.exit(1);
