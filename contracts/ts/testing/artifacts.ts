// Forge build artifacts (out/<File>.sol/<Contract>.json): ABI and bytecode by contract name, for
// tests that deploy the real contracts on anvil.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Abi, Hex } from 'viem';
import { repoRoot } from './anvil.ts';

export interface ForgeArtifact {
  readonly contractName: string;
  /** Path of the artifact file. */
  readonly path: string;
  readonly abi: Abi;
  /** Creation bytecode (constructor arguments not included). */
  readonly bytecode: Hex;
  /** Runtime bytecode. */
  readonly deployedBytecode: Hex;
}

export interface ArtifactOptions {
  /** The Solidity file, when several files define a contract of that name (e.g. `LinearDecrease.sol`). */
  file?: string;
  /** The forge output directory (default `defaultOutDir`: `<repo>/out`, the repository's build). */
  outDir?: string;
}

export class ArtifactNotFoundError extends Error {
  override readonly name = 'ArtifactNotFoundError';
}

/**
 * The repository's forge output directory: `<repo>/out`, or `$FOUNDRY_OUT` (resolved from the repository
 * root) when set, as forge itself does.
 */
export const defaultOutDir = path.resolve(repoRoot, process.env.FOUNDRY_OUT ?? 'out');

const HOW_TO_BUILD = 'run `npm run build` (or `node contracts/tools/foundry.mjs forge build`) at the repository root';

/** Reads a contract's artifact by name. Throws `ArtifactNotFoundError` with what to run when missing. */
export function readArtifact(contractName: string, options: ArtifactOptions = {}): ForgeArtifact {
  const outDir = options.outDir ?? defaultOutDir;
  const file = findArtifactFile(contractName, outDir, options.file);
  let json: {
    abi?: Abi;
    bytecode?: { object?: string; linkReferences?: Record<string, unknown> };
    deployedBytecode?: { object?: string };
  };
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as typeof json;
  } catch (err) {
    throw new ArtifactNotFoundError(`cannot read artifact ${file}: ${(err as Error).message}; ${HOW_TO_BUILD}`);
  }
  const bytecode = prefixed(json.bytecode?.object);
  const deployedBytecode = prefixed(json.deployedBytecode?.object);
  if (!json.abi) throw new ArtifactNotFoundError(`artifact ${file} has no ABI; ${HOW_TO_BUILD}`);
  if (Object.keys(json.bytecode?.linkReferences ?? {}).length > 0) {
    throw new Error(`${contractName} needs linking to external libraries; link before deploying (${file})`);
  }
  return { contractName, path: file, abi: json.abi, bytecode, deployedBytecode };
}

/** Reads an artifact and checks it is deployable (not an interface or abstract contract). */
export function readDeployableArtifact(contractName: string, options: ArtifactOptions = {}): ForgeArtifact {
  const artifact = readArtifact(contractName, options);
  if (artifact.bytecode === '0x') {
    throw new Error(`${contractName} has no creation bytecode (interface or abstract contract): ${artifact.path}`);
  }
  return artifact;
}

function prefixed(object: string | undefined): Hex {
  if (!object) return '0x';
  return (object.startsWith('0x') ? object : `0x${object}`) as Hex;
}

function findArtifactFile(contractName: string, outDir: string, file: string | undefined): string {
  if (!existsSync(outDir)) {
    throw new ArtifactNotFoundError(`no forge output directory at ${outDir}; ${HOW_TO_BUILD}`);
  }
  const fileName = `${contractName}.json`;
  // Fast path: the usual layout, contract named like its file.
  const direct = path.join(outDir, file ?? `${contractName}.sol`, fileName);
  if (existsSync(direct)) return direct;

  const matches = readdirSync(outDir, { recursive: true, encoding: 'utf8' })
    .filter((rel) => path.basename(rel) === fileName && !rel.startsWith('build-info'))
    .filter((rel) => path.dirname(rel).endsWith('.sol'))
    .filter((rel) => file === undefined || path.dirname(rel).endsWith(file))
    .map((rel) => path.join(outDir, rel));
  const [only, ...rest] = matches;
  if (only && rest.length === 0) return only;
  if (!only) {
    const where = file ? ` in ${file}` : '';
    throw new ArtifactNotFoundError(
      `no artifact for contract ${contractName}${where} under ${outDir}; ${HOW_TO_BUILD}`,
    );
  }
  throw new Error(
    `several artifacts for contract ${contractName}; pass { file } to choose one of:\n${matches.join('\n')}`,
  );
}
