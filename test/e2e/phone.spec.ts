// Every page at a 390×844 phone viewport, in one browser context (the stack is global setup's):
// the price, the key figures and the primary action must be on screen without horizontal
// scrolling — each one's bounding box inside the viewport's width, the document no wider than it —
// and on the auctions list the price and the action of the first auction on the first screen.
// Screenshots: test-results/screenshots/phone-*.png. Runs after app.spec.ts and history.spec.ts
// (name order) and before rpc-down.spec.ts; it stops the indexer (the indexer-down test) and its
// last test liquidates a vault from the phone.
import { expect, test, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { createPublicClient, http, parseAbi } from 'viem';
import { connectDevWallet, screenshot, state, stopIndexer } from './fixtures.ts';
import { refreshPrices } from './stack.mjs';

const PHONE = { width: 390, height: 844 };
/** anvil account the phone liquidates with (not the taker's or the vault owner's). */
const LIQUIDATOR_INDEX = 3;

test.describe.configure({ mode: 'serial' });

let context: BrowserContext;
let page: Page;

test.beforeAll(async ({ browser }) => {
  context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, hasTouch: true, isMobile: true });
  page = await context.newPage();
});

test.afterAll(async () => {
  await context.close();
});

/** The document does not scroll sideways. */
async function expectNoHorizontalScroll(): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, 'document width').toBeLessThanOrEqual(PHONE.width);
}

/** Rendered, and its box lies within the viewport's width (`firstScreen`: and its height). */
async function expectOnScreen(locator: Locator, what: string, firstScreen = false): Promise<void> {
  await expect(locator, what).toBeVisible();
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${what} has no box`);
  expect(box.x, `${what}: left edge`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${what}: right edge`).toBeLessThanOrEqual(PHONE.width);
  if (firstScreen) expect(box.y + box.height, `${what}: on the first screen`).toBeLessThanOrEqual(PHONE.height);
}

test('phone: overview — mark prices, bad debt split, unsafe vaults with Liquidate', async () => {
  const testInfo = test.info();
  const s = state();
  await page.goto(`${s.baseUrl}/`);
  for (const ilk of s.deployment.ilks) {
    const card = page.getByTestId(`ilk-row-${ilk.name}`);
    await expectOnScreen(card, `${ilk.name} card`);
    await expectOnScreen(card.getByTestId('mark-price'), `${ilk.name} mark price`);
    for (const feed of await card.getByTestId('feed').all()) await expectOnScreen(feed, `${ilk.name} feed`);
  }
  await expectOnScreen(page.getByTestId('bad-debt'), 'bad debt');
  await expectOnScreen(page.getByTestId('bad-debt-live'), 'live auction debt');
  await expectOnScreen(page.getByTestId('bad-debt-proceeds'), 'unsettled proceeds');
  await expectOnScreen(page.getByTestId('active-auctions'), 'active auctions');
  await expect(page.getByTestId('unsafe-vaults')).toHaveText(/^[1-9]\d*$/);
  await expectOnScreen(page.getByTestId('overview-liquidate').first(), 'Liquidate on the overview');
  await expectNoHorizontalScroll();
  await screenshot(page, testInfo, 'phone-overview');
});

test('phone: auctions — price, vs market and the action of the first auction on the first screen', async () => {
  const testInfo = test.info();
  const s = state();
  await page.goto(`${s.baseUrl}/auctions`);
  const rows = page.getByTestId('auction-row');
  await expect(rows.first()).toBeVisible();
  const first = rows.first();
  await expect(first.getByTestId('auction-price')).toHaveAttribute('data-price', /^[1-9]\d*$/);
  await expectOnScreen(first.getByTestId('auction-price'), 'price', true);
  await expectOnScreen(first.getByTestId('auction-premium'), 'vs market', true);
  await expectOnScreen(first.getByTestId('auction-action'), 'Take / Redo', true);
  for (const row of await rows.all()) {
    for (const id of ['auction-price', 'auction-premium', 'auction-action', 'auction-lot', 'auction-tab', 'auction-age']) {
      await expectOnScreen(row.getByTestId(id), id);
    }
  }
  await expectNoHorizontalScroll();
  await screenshot(page, testInfo, 'phone-auctions');
});

test('phone: auction — price first, the take form before the chart, readable chart labels', async () => {
  const testInfo = test.info();
  const s = state();
  await page.goto(`${s.baseUrl}/auctions`);
  // The first takeable auction (the list puts those first).
  const row = page.locator('[data-testid="auction-row"][data-needs-redo="false"]').first();
  await row.getByTestId('auction-action').click();
  await expectOnScreen(page.getByTestId('detail-price'), 'price now', true);
  await expectOnScreen(page.getByTestId('detail-premium'), 'vs market', true);
  await expectOnScreen(page.getByTestId('detail-lot'), 'lot left');
  await expectOnScreen(page.getByTestId('detail-tab'), 'debt left');
  const form = page.getByTestId('take-form');
  await expectOnScreen(page.getByTestId('take-amount'), 'amount field');
  await expectOnScreen(page.getByTestId('take-max-price'), 'max price field');
  await expectOnScreen(page.getByTestId('take-connect'), 'connect to take');
  const chart = page.getByTestId('price-chart');
  const [formBox, chartBox] = [await form.boundingBox(), await chart.boundingBox()];
  expect((formBox?.y ?? Infinity) < (chartBox?.y ?? 0), 'the take form comes before the chart').toBe(true);
  await expectOnScreen(chart, 'price chart');
  // Axis labels at least 10 CSS px tall as rendered, none clipped by the chart's right edge.
  const labels = await chart.getByTestId('chart-label').all();
  expect(labels.length).toBeGreaterThan(4);
  for (const label of labels) {
    const box = await label.boundingBox();
    if (!box || !chartBox) throw new Error('chart label not rendered');
    expect(box.height, `label "${await label.textContent()}" height`).toBeGreaterThanOrEqual(10);
    expect(box.x + box.width, `label "${await label.textContent()}" right edge`).toBeLessThanOrEqual(chartBox.x + chartBox.width + 0.5);
  }
  await expectNoHorizontalScroll();
  await screenshot(page, testInfo, 'phone-auction-detail');
});

test('phone: vaults — liquidation price, distance and health of a seeded owner', async () => {
  const testInfo = test.info();
  const s = state();
  const seeded = s.scenario.safeSeedOwners[0];
  if (!seeded) throw new Error('no safe seeded vault');
  await page.goto(`${s.baseUrl}/vaults?owner=${seeded.owner}`);
  const card = page.getByTestId(`vault-${seeded.ilk}`);
  await expectOnScreen(card.getByTestId('vault-liquidation-price'), 'liquidation price');
  await expectOnScreen(card.getByTestId('vault-distance'), 'distance to liquidation');
  await expect(card.getByTestId('vault-distance')).toHaveText(/^a \d+\.\d\d% fall$/);
  await expectOnScreen(card.getByTestId('health'), 'health bar');
  await expectOnScreen(card.getByTestId('vault-tab-add'), 'add collateral');
  await expectNoHorizontalScroll();
  await screenshot(page, testInfo, 'phone-vaults');
});

test('indexer down: history says unavailable on every page, live views keep working', async () => {
  const s = state();
  // history.spec.ts read the real indexer; now it goes away (it stays down for the later specs).
  await stopIndexer(s);
  await page.goto(`${s.baseUrl}/`);
  await expect(page.getByTestId('history-charts').getByTestId('history-unavailable')).toContainText('History unavailable');
  await expect(page.getByTestId('mark-price').first()).toHaveText(/\d/);
  await expect(page.getByTestId('viability-depth').first()).toHaveAttribute('data-depth', /^[1-9]\d*$/);
  await page.goto(`${s.baseUrl}/auctions`);
  await page.locator('[data-testid="auction-row"]').first().getByTestId('auction-link').click();
  await expect(page.getByTestId('auction-history').getByTestId('history-unavailable')).toBeVisible();
  await expect(page.getByTestId('detail-price-wad')).toHaveAttribute('data-price', /^[1-9]\d*$/);
  const seeded = s.scenario.safeSeedOwners[0];
  if (!seeded) throw new Error('no safe seeded vault');
  await page.goto(`${s.baseUrl}/vaults?owner=${seeded.owner}`);
  await expect(page.getByTestId('vault-history').getByTestId('history-unavailable')).toBeVisible();
  await page.goto(`${s.baseUrl}/bidders/${seeded.owner}`);
  await expect(page.getByTestId('bidder').getByTestId('history-unavailable')).toBeVisible();
  await expect(page.getByTestId('read-error')).toHaveCount(0);
  await expectNoHorizontalScroll();
  await screenshot(page, test.info(), 'phone-history-unavailable');
});

test('phone: liquidate the unsafe vault the overview lists, from its vault card', async () => {
  const testInfo = test.info();
  const s = state();
  const chain = createPublicClient({ transport: http(s.rpcUrl) });
  const countAbi = parseAbi(['function count() view returns (uint256)']);
  const live = async (): Promise<bigint> => {
    let n = 0n;
    for (const ilk of s.deployment.ilks) n += await chain.readContract({ address: ilk.house, abi: countAbi, functionName: 'count' });
    return n;
  };
  // The feeds report again (the oracles refuse reports older than 300 s, and by now the suite has
  // run longer: without a mark the liquidation reverts).
  await refreshPrices(s.rpcUrl, s.deployment);
  const before = await live();
  await page.goto(`${s.baseUrl}/`);
  await connectDevWallet(page, LIQUIDATOR_INDEX);
  const unsafeBefore = Number(await page.getByTestId('unsafe-vaults').textContent());
  await page.getByTestId('unsafe-vault').first().getByRole('link').click();
  await expect(page).toHaveURL(/\/vaults\?owner=0x/);
  const button = page.getByTestId('vault-liquidate');
  await expectOnScreen(button, 'Liquidate on the vault card');
  await expect(page.locator('[data-state="liquidatable"]').getByTestId('vault-distance')).toHaveText('none: past it');
  await button.click();
  // Once mined the vault is no longer unsafe and its card drops the button with its status line:
  // judge by the chain (a failure keeps the vault unsafe, the status on screen, and this times out).
  await expect.poll(live, { timeout: 30_000, message: 'one more live auction after the liquidation' }).toBe(before + 1n);
  await expect(page.getByTestId('vault-liquidate-status').filter({ hasText: 'failed' })).toHaveCount(0);
  await screenshot(page, testInfo, 'phone-vault-liquidated');
  await page.goto(`${s.baseUrl}/`);
  await expect(page.getByTestId('unsafe-vaults')).toHaveText(String(unsafeBefore - 1));
});
