// SQLite checkpoints (better-sqlite3): the model, the last processed block and the reorg window
// (block hashes + undo records), written atomically in one transaction so a restart resumes from
// the checkpoint instead of rescanning.
//
// Format (schema version 1):
//   meta(key TEXT PRIMARY KEY, value TEXT)         -- 'version', 'identity' (chain, engine, deploy
//                                                  -- block and its hash), 'state' (JSON: block, window, model
//                                                  -- snapshot without vaults; bigints as "#n:…")
//   vaults(ilk TEXT, owner TEXT, collateral TEXT, norm_debt TEXT, PRIMARY KEY (ilk, owner)) WITHOUT ROWID
// Vaults are written incrementally (only those changed since the last checkpoint); everything else
// is small and rewritten each time. WAL journal: a crash (kill -9) loses at most the work since the
// last committed checkpoint, never corrupts it.

import Database from 'better-sqlite3';
import type { Address, Hex } from 'viem';
import { type BlockRecord, IndexModel, type ModelSnapshot } from '../index/model.ts';

export const SCHEMA_VERSION = 1;

/**
 * What must match for a checkpoint to be reused. The deployment block's hash tells two chains
 * apart that share the chain id and the contract addresses (a restarted local anvil redeploys to
 * the same addresses): a checkpoint of the first would otherwise look valid on the second.
 */
export interface CheckpointIdentity {
  readonly chainId: number;
  readonly engine: string;
  readonly deploymentBlock: string;
  /** Hash of the deployment block on the chain the checkpoint was built from. */
  readonly deploymentBlockHash: string;
}

/** Why a stored checkpoint does not fit `identity`, in a few words; undefined when it fits or there is none. */
export function identityMismatch(stored: string | undefined, version: string | undefined, identity: CheckpointIdentity): string | undefined {
  if (stored === undefined) return undefined;
  if (version !== String(SCHEMA_VERSION)) return `schema version ${version ?? 'none'} (this keeper writes ${SCHEMA_VERSION})`;
  let s: Partial<Record<keyof CheckpointIdentity, unknown>>;
  try {
    s = JSON.parse(stored) as Partial<Record<keyof CheckpointIdentity, unknown>>;
  } catch {
    return 'unreadable identity';
  }
  if (s.chainId !== identity.chainId) return `chain id ${String(s.chainId)}, the RPC's is ${identity.chainId}`;
  if (s.engine !== identity.engine || s.deploymentBlock !== identity.deploymentBlock) return 'another deployment (engine address or deployment block differ)';
  if (s.deploymentBlockHash !== identity.deploymentBlockHash) {
    return `another chain with the same id and addresses: deployment block ${identity.deploymentBlock} hash ${typeof s.deploymentBlockHash === 'string' ? s.deploymentBlockHash : 'not stored'}, the chain's is ${identity.deploymentBlockHash}`;
  }
  return undefined;
}

interface StoredState {
  /** Last processed block. */
  readonly block: string;
  readonly window: BlockRecord[];
  readonly model: ModelSnapshot;
  readonly savedAt: number;
}

/** JSON with bigints tagged as strings "#n:<decimal>". */
export function stringifyState(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `#n:${v.toString()}` : v));
}

export function parseState(text: string): unknown {
  return JSON.parse(text, (_k, v: unknown) => (typeof v === 'string' && v.startsWith('#n:') ? BigInt(v.slice(3)) : v));
}

export interface LoadedCheckpoint {
  readonly block: bigint;
  readonly vaults: number;
  readonly ms: number;
}

export class CheckpointStore {
  private readonly db: Database.Database;
  private readonly usable: boolean;
  private readonly upsert: Database.Statement<[string, string, string, string]> | undefined;
  private readonly remove: Database.Statement<[string, string]> | undefined;
  private readonly putMeta: Database.Statement<[string, string]> | undefined;
  private readonly getMeta: Database.Statement<[string], { value: string } | undefined> | undefined;

  /** True when opened with `readOnly`: loads only, never writes (save/reset are no-ops). */
  readonly readOnly: boolean;

  /**
   * Opens (creating it unless `readOnly`) the checkpoint file. `readOnly` is for commands that only
   * look (`vaults`, `auctions`, `watch`) while a keeper may be running on the same file: a
   * read-only connection (WAL: readers never block the keeper's writes and see a consistent
   * snapshot), no schema changes, no reset, no save. A read-only store over a file that does not
   * exist or is not a checkpoint simply loads nothing.
   */
  constructor(
    readonly file: string,
    options: { readonly readOnly?: boolean } = {},
  ) {
    this.readOnly = options.readOnly ?? false;
    if (this.readOnly) {
      this.db = new Database(file, { readonly: true, fileMustExist: true });
      this.db.pragma('busy_timeout = 2000');
    } else {
      this.db = new Database(file);
      this.db.pragma('busy_timeout = 2000');
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS vaults (
        ilk TEXT NOT NULL, owner TEXT NOT NULL, collateral TEXT NOT NULL, norm_debt TEXT NOT NULL,
        PRIMARY KEY (ilk, owner)
      ) WITHOUT ROWID;
    `);
    }
    // A read-only store of a file that has no tables yet prepares nothing (it has nothing to load).
    const hasTables = this.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('meta', 'vaults')").get() as { n: number };
    this.usable = hasTables.n === 2;
    if (!this.usable) {
      this.upsert = undefined;
      this.remove = undefined;
      this.putMeta = undefined;
      this.getMeta = undefined;
      return;
    }
    this.getMeta = this.db.prepare('SELECT value FROM meta WHERE key = ?');
    if (this.readOnly) {
      this.upsert = undefined;
      this.remove = undefined;
      this.putMeta = undefined;
      return;
    }
    this.upsert = this.db.prepare(
      'INSERT INTO vaults (ilk, owner, collateral, norm_debt) VALUES (?, ?, ?, ?) ON CONFLICT (ilk, owner) DO UPDATE SET collateral = excluded.collateral, norm_debt = excluded.norm_debt',
    );
    this.remove = this.db.prepare('DELETE FROM vaults WHERE ilk = ? AND owner = ?');
    this.putMeta = this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  }

  private meta(key: string): string | undefined {
    return this.getMeta?.get(key)?.value;
  }

  /** Why the stored checkpoint cannot be reused for `identity` (undefined: it can, or there is none). */
  mismatch(identity: CheckpointIdentity): string | undefined {
    if (!this.usable) return undefined;
    return identityMismatch(this.meta('identity'), this.meta('version'), identity);
  }

  /** The last processed block stored, or undefined. */
  storedBlock(): bigint | undefined {
    const s = this.meta('state');
    if (s === undefined) return undefined;
    return BigInt((parseState(s) as StoredState).block);
  }

  /**
   * Loads the checkpoint into an empty model when its identity matches; otherwise wipes the store
   * (a different chain or deployment) and returns undefined.
   */
  load(model: IndexModel, identity: CheckpointIdentity): LoadedCheckpoint | undefined {
    const t0 = performance.now();
    // One read transaction: the state and the vaults come from the same committed checkpoint even
    // while another process (a running keeper) writes the next one.
    const read = (): LoadedCheckpoint | undefined => {
      const id = this.meta('identity');
      const version = this.meta('version');
      const text = this.meta('state');
      if (id !== JSON.stringify(identity) || version !== String(SCHEMA_VERSION) || text === undefined) {
        if (!this.readOnly) this.reset(identity);
        return undefined;
      }
      const state = parseState(text) as StoredState;
      model.restore(state.model, state.window);
      let n = 0;
      const rows = this.db.prepare('SELECT ilk, owner, collateral, norm_debt FROM vaults').raw().iterate() as IterableIterator<
        [string, string, string, string]
      >;
      for (const [ilk, owner, c, d] of rows) {
        model.loadVault(ilk as Hex, owner as Address, BigInt(c), BigInt(d));
        n++;
      }
      model.clearChanges();
      model.takeDirty();
      return { block: BigInt(state.block), vaults: n, ms: 0 };
    };
    if (!this.usable) {
      if (!this.readOnly) throw new Error(`checkpoint ${this.file}: no tables`);
      return undefined;
    }
    const loaded = this.db.transaction(read)();
    return loaded ? { ...loaded, ms: performance.now() - t0 } : undefined;
  }

  /** Clears everything and stamps the identity. */
  reset(identity: CheckpointIdentity): void {
    const putMeta = this.putMeta;
    if (this.readOnly || !putMeta) return;
    this.db.transaction(() => {
      this.db.exec('DELETE FROM vaults; DELETE FROM meta;');
      putMeta.run('version', String(SCHEMA_VERSION));
      putMeta.run('identity', JSON.stringify(identity));
    })();
  }

  /** Writes the model at `block` atomically: changed vaults, the snapshot and the reorg window. */
  save(model: IndexModel, block: bigint): { vaultsWritten: number; ms: number } {
    const { upsert, remove, putMeta } = this;
    if (this.readOnly || !upsert || !remove || !putMeta) return { vaultsWritten: 0, ms: 0 };
    const t0 = performance.now();
    const dirty = model.takeDirty();
    const state: StoredState = { block: block.toString(), window: model.window, model: model.snapshot(), savedAt: Date.now() };
    const text = stringifyState(state);
    try {
      this.db.transaction(() => {
        for (const key of dirty) {
          const [ilk, owner] = IndexModel.splitVaultKey(key);
          const v = model.unsafe.vault(ilk, owner);
          if (v) upsert.run(ilk, owner, v.collateral.toString(), v.normalizedDebt.toString());
          else remove.run(ilk, owner);
        }
        putMeta.run('state', text);
      })();
    } catch (err) {
      // Not written: keep the vaults dirty for the next attempt.
      for (const k of dirty) model.markDirty(k);
      throw err;
    }
    return { vaultsWritten: dirty.size, ms: performance.now() - t0 };
  }

  /** Writes many vaults directly (benchmarks and imports). */
  writeVaults(rows: Iterable<readonly [string, string, bigint, bigint]>): void {
    const upsert = this.upsert;
    if (!upsert) throw new Error(`checkpoint ${this.file} is read-only`);
    this.db.transaction(() => {
      for (const [ilk, owner, c, d] of rows) upsert.run(ilk, owner, c.toString(), d.toString());
    })();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
