// Against a real PostgreSQL server (Debian's postgresql: a throwaway cluster per run). CI installs it
// (.ci/run); without it these tests fail with the install hint. GAVEL_INDEXER_PG=0 skips them
// locally (documented in indexer/README.md); CI never sets it.
import { describe, it } from 'vitest';
import { indexerSuite } from './suite.ts';

if (process.env.GAVEL_INDEXER_PG === '0' && process.env.CI !== 'true') {
  describe.skip('indexer on postgres (GAVEL_INDEXER_PG=0)', () => {
    it('skipped', () => undefined);
  });
} else {
  indexerSuite('postgres');
}
