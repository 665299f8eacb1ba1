// The indexer-backed views against the real indexer on the real chain (global setup starts it and
// drives the history: vaults, a price drop, liquidations, takes by Alice and Bob, a settle). Every
// figure is judged against the chain — the contracts' logs and views read here with viem, the
// protocol's rules from @gavel/sdk — not against the indexer's API. Each view at desktop size and on
// a 390×844 phone, where its primary content must be on screen without horizontal scrolling.
// Runs after app.spec.ts (name order; its take is history too) and before phone.spec.ts, whose
// indexer-down test stops the indexer.
import { lotValue, premiumBps, radToWad } from '@gavel/sdk';
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { createPublicClient, http, parseAbi, parseAbiItem, type Address, type Hex, type PublicClient } from 'viem';
import { screenshot, state, type E2EState } from './fixtures.ts';
import { indexedBlock, VAULT_OWNER_INDEX, ANVIL_MNEMONIC } from './stack.mjs';
import { mnemonicToAccount } from 'viem/accounts';

// Two viewports per test, several pages each: on two shared cores a page's first indexed figures
// have been seen to take over 20 s (the history query waits behind the page's chain reads).
test.describe.configure({ mode: 'serial', timeout: 240_000 });
/** Wait for a page's first figure from the indexer. */
const FIRST = { timeout: 60_000 };

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1400, height: 900 };
const VIEWPORTS = [
  { name: 'desktop', viewport: DESKTOP, phone: false },
  { name: 'phone', viewport: PHONE, phone: true },
] as const;
type Viewport = (typeof VIEWPORTS)[number];

const takeEvent = parseAbiItem(
  'event Take(uint256 indexed id, address indexed taker, address indexed receiver, uint256 price, uint256 owe, uint256 collateralOut, uint256 tabLeft, uint256 lotLeft)',
);
const pokeEvent = parseAbiItem('event Poke(bytes32 indexed ilk, uint256 markPrice, uint256 spot)');
const liquidateEvent = parseAbiItem(
  'event Liquidate(bytes32 indexed ilk, address indexed owner, uint256 indexed auctionId, address keeper, uint256 collateral, uint256 normalizedDebt, uint256 debt, uint256 tab, uint256 incentive, bool isPartial)',
);
const engineAbi = parseAbi(['function health(bytes32 ilk, address owner) view returns (uint256)', 'function badDebtRad() view returns (uint256)']);
const houseAbi = parseAbi(['function list() view returns (uint256[])', 'function getStatus(uint256 id) view returns (bool needsRedo, uint256 price, uint256 lot, uint256 tab)']);
const routerAbi = parseAbi(['function getAmountsOut(uint256 amountIn, address[] path) view returns (uint256[] amounts)']);

interface ChainTake {
  house: Address;
  id: bigint;
  taker: Address;
  price: bigint;
  owe: bigint;
  collateralOut: bigint;
  mark: bigint;
  scale: bigint;
  tx: Hex;
}

function chain(s: E2EState): PublicClient {
  return createPublicClient({ transport: http(s.rpcUrl) });
}

/** Waits (through the indexer's /status) until it has indexed the node's head as it is now. */
async function indexerAtHead(s: E2EState): Promise<void> {
  const url = s.indexerUrl;
  if (!url) throw new Error('no indexer in the stack: global setup starts it (startStack({ indexer: true }))');
  const head = await chain(s).getBlockNumber({ cacheTime: 0 });
  await expect.poll(() => indexedBlock(url), { timeout: 30_000, message: `indexer at block ${head}` }).toBeGreaterThanOrEqual(head);
}

/** Every take on chain (all houses), each with the Spotter's mark at its log: the last Poke of its ilk before it. */
async function chainTakes(s: E2EState): Promise<ChainTake[]> {
  const c = chain(s);
  const pokes = await c.getLogs({ address: s.deployment.spotter, event: pokeEvent, fromBlock: 0n, strict: true });
  const out: ChainTake[] = [];
  for (const ilk of s.deployment.ilks) {
    const scale = 10n ** BigInt(18 - ilk.decimals);
    const logs = await c.getLogs({ address: ilk.house, event: takeEvent, fromBlock: 0n, strict: true });
    for (const l of logs) {
      const before = pokes.filter((p) => p.args.ilk === ilk.id && (p.blockNumber < l.blockNumber || (p.blockNumber === l.blockNumber && p.logIndex < l.logIndex)));
      const mark = before.at(-1)?.args.markPrice;
      if (mark === undefined) throw new Error(`no Poke of ${ilk.name} before take ${l.transactionHash}`);
      out.push({ house: ilk.house, id: l.args.id, taker: l.args.taker, price: l.args.price, owe: l.args.owe, collateralOut: l.args.collateralOut, mark, scale, tx: l.transactionHash });
    }
  }
  return out;
}

async function forEachViewport(browser: Browser, fn: (page: Page, v: Viewport) => Promise<void>): Promise<void> {
  for (const v of VIEWPORTS) {
    const context = await browser.newContext(v.phone ? { viewport: v.viewport, deviceScaleFactor: 1, hasTouch: true, isMobile: true } : { viewport: v.viewport });
    try {
      await fn(await context.newPage(), v);
    } finally {
      await context.close();
    }
  }
}

/** Rendered and, on the phone, inside the viewport's width. */
async function expectOnScreen(locator: Locator, v: Viewport, what: string): Promise<void> {
  await expect(locator, what).toBeVisible();
  if (!v.phone) return;
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${what} has no box`);
  expect(box.x, `${what}: left edge`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${what}: right edge`).toBeLessThanOrEqual(v.viewport.width);
}

async function expectNoHorizontalScroll(page: Page, v: Viewport): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, 'document width').toBeLessThanOrEqual(v.viewport.width);
}

/** The indexed take rows shown in `scope` match the chain's takes `expected` one for one, every figure to the wei. */
async function expectTakes(scope: Locator, expected: ChainTake[], v: Viewport): Promise<void> {
  const rows = scope.getByTestId('indexed-take');
  await expect(rows).toHaveCount(expected.length, FIRST);
  for (const t of expected) {
    const row = rows.and(scope.locator(`[data-tx="${t.tx}"]`));
    await expect(row, `take ${t.tx}`).toHaveCount(1);
    await expect(row).toHaveAttribute('data-price', t.price.toString());
    await expect(row).toHaveAttribute('data-owe', t.owe.toString());
    await expect(row).toHaveAttribute('data-collateral-out', t.collateralOut.toString());
    await expect(row).toHaveAttribute('data-mark-price', t.mark.toString());
    await expect(row).toHaveAttribute('data-vs-market-bps', premiumBps(t.price, t.mark)?.toString() ?? '');
    await expect(row).toHaveAttribute('data-profit', (lotValue(t.collateralOut, t.mark, t.scale) - t.owe).toString());
    await expectOnScreen(row.getByTestId('take-price'), v, 'clearing price');
    await expectOnScreen(row.getByTestId('take-vs-market'), v, 'vs market');
    await expectOnScreen(row.getByTestId('take-profit'), v, 'profit at market');
  }
}

test('history: an auction — every take with its clearing price against the market then', async ({ browser }) => {
  const s = state();
  const h = s.scenario.history;
  if (!h) throw new Error('no history scenario');
  await indexerAtHead(s);
  const takes = await chainTakes(s);
  const [alice, bob] = h.bidders;
  await forEachViewport(browser, async (page, v) => {
    for (const a of [h.ended, h.partial]) {
      const expected = takes.filter((t) => t.house.toLowerCase() === a.house.toLowerCase() && t.id === BigInt(a.id));
      expect(expected.length, `takes of ${a.ilk} ${a.id} on chain`).toBeGreaterThan(0);
      await page.goto(`${s.baseUrl}/auctions/${a.house}/${a.id}`);
      const panel = page.getByTestId('auction-history');
      await expectTakes(panel, expected, v);
      await expectNoHorizontalScroll(page, v);
      if (a === h.ended) {
        // Alice and Bob took it whole between them; each bidder links to their page.
        await expect(panel.locator(`[data-bidder="${alice?.address}"]`)).toHaveCount(1);
        await expect(panel.locator(`[data-bidder="${bob?.address}"]`)).toHaveCount(1);
        await expect(page.getByTestId('auction-closed')).toBeVisible();
        await screenshot(page, test.info(), `${v.phone ? 'phone-' : ''}history-auction`);
      }
    }
  });
});

test('history: a bidder — its takes and profit at market', async ({ browser }) => {
  const s = state();
  const h = s.scenario.history;
  if (!h) throw new Error('no history scenario');
  await indexerAtHead(s);
  const takes = await chainTakes(s);
  await forEachViewport(browser, async (page, v) => {
    for (const b of h.bidders) {
      const mine = takes.filter((t) => t.taker.toLowerCase() === b.address.toLowerCase());
      expect(mine.length, `${b.name}'s takes on chain`).toBeGreaterThan(0);
      const profit = mine.reduce((n, t) => n + lotValue(t.collateralOut, t.mark, t.scale) - t.owe, 0n);
      const paid = mine.reduce((n, t) => n + t.owe, 0n);
      await page.goto(`${s.baseUrl}/bidders/${b.address}`);
      await expect(page.getByTestId('bidder-takes')).toHaveText(String(mine.length), FIRST);
      await expect(page.getByTestId('bidder-profit').locator('[data-profit]')).toHaveAttribute('data-profit', profit.toString());
      await expect(page.getByTestId('bidder-paid').locator('[data-paid]')).toHaveAttribute('data-paid', paid.toString());
      await expectOnScreen(page.getByTestId('bidder-takes'), v, 'take count');
      await expectOnScreen(page.getByTestId('bidder-profit'), v, 'profit');
      await expectTakes(page.getByTestId('bidder'), mine, v);
      await expectNoHorizontalScroll(page, v);
      if (b === h.bidders[0]) await screenshot(page, test.info(), `${v.phone ? 'phone-' : ''}history-bidder`);
    }
  });
});

test('history: a vault — health over time, and a liquidated vault its liquidations', async ({ browser }) => {
  const s = state();
  const h = s.scenario.history;
  if (!h) throw new Error('no history scenario');
  await indexerAtHead(s);
  const c = chain(s);
  // The vault owner's ETH-A vault: opened, then every price drop lowered its health.
  const owner = mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: VAULT_OWNER_INDEX }).address;
  const eth = s.deployment.ilks.find((i) => i.name === 'ETH-A');
  if (!eth) throw new Error('no ETH-A');
  const health = await c.readContract({ address: s.deployment.engine, abi: engineAbi, functionName: 'health', args: [eth.id, owner] });
  // A liquidated seed vault: its Liquidate logs.
  const liquidated = s.scenario.liquidated[0];
  if (!liquidated) throw new Error('no liquidated vault');
  const lIlk = s.deployment.ilks.find((i) => i.name === liquidated.ilk);
  if (!lIlk) throw new Error(`no ilk ${liquidated.ilk}`);
  const liquidations = await c.getLogs({ address: s.deployment.liquidationEngine, event: liquidateEvent, args: { ilk: lIlk.id, owner: liquidated.owner }, fromBlock: 0n, strict: true });
  expect(liquidations.length).toBeGreaterThan(0);
  await forEachViewport(browser, async (page, v) => {
    await page.goto(`${s.baseUrl}/vaults?owner=${owner}`);
    const card = page.getByTestId('vault-ETH-A');
    const data = card.getByTestId('vault-history-data');
    await expect(data).toHaveAttribute('data-last-health', health.toString(), FIRST);
    // One point at the opening, one per price drop at least.
    expect(Number(await data.getAttribute('data-points'))).toBeGreaterThanOrEqual(3);
    await expectOnScreen(card.getByTestId('chart-health'), v, 'health chart');
    await expectNoHorizontalScroll(page, v);
    await screenshot(page, test.info(), `${v.phone ? 'phone-' : ''}history-vault`);

    // Its card if collateral is left, else its history as an empty vault's.
    await page.goto(`${s.baseUrl}/vaults?owner=${liquidated.owner}`);
    const rows = page.locator(`[data-testid="vault-${liquidated.ilk}"], [data-testid="vault-closed-${liquidated.ilk}"]`).getByTestId('vault-liquidation');
    await expect(rows).toHaveCount(liquidations.length, FIRST);
    for (const l of liquidations) {
      const row = rows.and(page.locator(`[data-auction-id="${l.args.auctionId}"]`));
      await expect(row).toHaveAttribute('data-tab', l.args.tab.toString());
      await expectOnScreen(row, v, 'liquidation');
    }
    await expectNoHorizontalScroll(page, v);
  });
});

test('history: the overview — liquidations and bad debt over time, liquidation viability', async ({ browser }) => {
  const s = state();
  await indexerAtHead(s);
  const c = chain(s);
  const liquidations = await c.getLogs({ address: s.deployment.liquidationEngine, event: liquidateEvent, fromBlock: 0n, strict: true });
  const badDebt = radToWad(await c.readContract({ address: s.deployment.engine, abi: engineAbi, functionName: 'badDebtRad' }));
  // Live lots per collateral now, and the router's quote for each depth shown.
  const lots = new Map<string, { n: number; lot: bigint }>();
  for (const ilk of s.deployment.ilks) {
    const ids = await c.readContract({ address: ilk.house, abi: houseAbi, functionName: 'list' });
    let lot = 0n;
    for (const id of ids) lot += (await c.readContract({ address: ilk.house, abi: houseAbi, functionName: 'getStatus', args: [id] }))[2];
    lots.set(ilk.name, { n: ids.length, lot });
  }
  const dex = (s.deployment as { dex?: { router: Address } }).dex;
  await forEachViewport(browser, async (page, v) => {
    await page.goto(`${s.baseUrl}/`);
    const series = page.getByTestId('history-series');
    await expect(series).toHaveAttribute('data-liquidations', String(liquidations.length), FIRST);
    await expect(series).toHaveAttribute('data-bad-debt', badDebt.toString());
    // Bad debt rose with the seizures and fell at the settle: more than one point.
    expect(Number(await series.getAttribute('data-bad-debt-points'))).toBeGreaterThan(1);
    await expectOnScreen(page.getByTestId('chart-liquidations'), v, 'liquidations chart');
    await expectOnScreen(page.getByTestId('chart-bad-debt'), v, 'bad debt chart');
    for (const ilk of s.deployment.ilks) {
      const card = page.getByTestId(`viability-${ilk.name}`);
      const want = lots.get(ilk.name);
      await expect(card).toHaveAttribute('data-live-auctions', String(want?.n), FIRST);
      await expect(card).toHaveAttribute('data-live-lot', String(want?.lot));
      await expectOnScreen(card, v, `${ilk.name} viability`);
      if (!dex) continue;
      for (const depth of await card.getByTestId('viability-depth').all()) {
        const amount = BigInt((await depth.getAttribute('data-depth')) ?? '0');
        expect(amount).toBeGreaterThan(0n);
        const [, out] = await c.readContract({ address: dex.router, abi: routerAbi, functionName: 'getAmountsOut', args: [amount, [ilk.token, s.deployment.stablecoin]] });
        await expect(depth).toHaveAttribute('data-stable-out', String(out));
      }
    }
    await expectNoHorizontalScroll(page, v);
    await page.getByTestId('history-charts').scrollIntoViewIfNeeded();
    await screenshot(page, test.info(), `${v.phone ? 'phone-' : ''}history-overview`);
  });
});
