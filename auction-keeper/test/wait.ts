// Polls a condition until it holds or the time runs out (then throws naming what was awaited).
// The keeper's anvil tests wait on real chains and real keepers, never on fixed sleeps.

export async function waitFor(cond: () => boolean | Promise<boolean>, ms = 15_000, what = 'condition', pollMs = 25): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
