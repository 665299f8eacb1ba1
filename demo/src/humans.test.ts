import { describe, expect, it } from 'vitest';
import { HUMAN_ACCOUNT_INDEXES, humanHint } from './humans.ts';
import { KEEPER_ACCOUNT_INDEXES } from './keeper.ts';

describe('people in the demo', () => {
  it('never share an account with the keeper or the deployer (account 0)', () => {
    for (const i of HUMAN_ACCOUNT_INDEXES) {
      expect(i).not.toBe(0);
      expect(KEEPER_ACCOUNT_INDEXES as readonly number[]).not.toContain(i);
    }
  });

  it("names the app, the accounts and the keeper's window", () => {
    const humans = { indexes: HUMAN_ACCOUNT_INDEXES, addresses: [], stableEach: 50_000n * 10n ** 18n };
    const hint = humanHint('http://localhost:3000', humans, '0.07');
    expect(hint).toContain('http://localhost:3000');
    expect(hint).toContain('#1–#4');
    expect(hint).toContain('7% below the market');
    expect(humanHint('http://localhost:3000', humans, undefined)).toContain('default margin');
  });
});
