// Typed ABIs for every contract under contracts/src, generated from forge's artifacts into the SDK
// (sdk/src/generated.ts: @gavel/sdk ships them, so its consumers need no Solidity toolchain).
// `npm run build -w @gavel/contracts` regenerates sdk/src/generated.ts (git-ignored, never hand-edited).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@wagmi/cli';
import { foundry } from '@wagmi/cli/plugins';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');

/** Every Solidity file under contracts/src, as the artifact folder names forge gives them. */
function protocolSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return protocolSources(path.join(dir, entry.name));
    return entry.name.endsWith('.sol') ? [`${entry.name}/*.json`] : [];
  });
}

export default defineConfig({
  out: '../sdk/src/generated.ts',
  plugins: [
    foundry({
      project: repoRoot,
      artifacts: 'out',
      include: protocolSources(path.join(repoRoot, 'contracts', 'src')),
      forge: {
        // The real binary (via tools/forge, from the repo root): the npm launcher exits 0 on a compile
        // error and would leave stale ABIs.
        path: path.join(here, 'tools', 'forge'),
        build: false, // tools/generate.mjs runs the real forge build first
        rebuild: false,
      },
    }),
  ],
});
