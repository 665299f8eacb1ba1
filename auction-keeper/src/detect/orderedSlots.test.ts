import { describe, expect, it } from 'vitest';
import { Prng } from '../util/prng.ts';
import { OrderedSlots } from './orderedSlots.ts';

function inRange(t: OrderedSlots, lo: number, hi: number): number[] {
  const out: number[] = [];
  t.forEachInRange(lo, hi, (s) => out.push(s));
  return out;
}

describe('OrderedSlots', () => {
  it('inserts, removes, rekeys and walks ranges in (key, slot) order', () => {
    const t = new OrderedSlots(4);
    t.ensureCapacity(10);
    t.insert(0, 5);
    t.insert(1, 1);
    t.insert(2, 5);
    t.insert(3, Number.POSITIVE_INFINITY);
    t.insert(4, 0);
    t.check();
    expect(t.size).toBe(5);
    expect(inRange(t, 0, 5)).toEqual([1, 0, 2]); // lo exclusive, hi inclusive, ties by slot
    expect(inRange(t, -1, Number.POSITIVE_INFINITY)).toEqual([4, 1, 0, 2, 3]);
    expect(inRange(t, 5, 1e300)).toEqual([]);
    expect(t.descendingAbove(0.5)).toEqual([3, 2, 0, 1]);
    t.rekey(1, 7);
    expect(inRange(t, 0, 10)).toEqual([0, 2, 1]);
    t.remove(0);
    t.check();
    expect(t.size).toBe(4);
    expect(inRange(t, 0, 10)).toEqual([2, 1]);
    expect(() => { t.remove(0); }).toThrow();
    expect(() => { t.insert(99, 1); }).toThrow(RangeError);
    expect(() => { t.insert(5, Number.NaN); }).toThrow(RangeError);
  });

  it('matches a sorted-array reference under random operations', () => {
    const rng = new Prng(3);
    const n = 400;
    const t = new OrderedSlots(n);
    const ref = new Map<number, number>();
    const keyPool = [0, 1, 1.5, 2, 2, 3, Number.POSITIVE_INFINITY];
    for (let step = 0; step < 20_000; step++) {
      const slot = rng.int(n);
      const key = rng.chance(0.3) ? rng.pick(keyPool) : rng.float() * 4;
      if (ref.has(slot)) {
        if (rng.chance(0.5)) {
          t.remove(slot);
          ref.delete(slot);
        } else {
          t.rekey(slot, key);
          ref.set(slot, key);
        }
      } else {
        t.insert(slot, key);
        ref.set(slot, key);
      }
      if (step % 97 === 0) {
        t.check();
        const lo = rng.pick([-1, ...keyPool, rng.float() * 4]);
        const hi = rng.pick([...keyPool, rng.float() * 4, Number.POSITIVE_INFINITY]);
        const sorted = [...ref.entries()].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
        expect(inRange(t, lo, hi)).toEqual(sorted.filter(([, k]) => k > lo && k <= hi).map(([s]) => s));
        expect(t.descendingAbove(lo)).toEqual(sorted.filter(([, k]) => k > lo).map(([s]) => s).reverse());
        expect(t.size).toBe(ref.size);
      }
    }
  });

  it('stays shallow with 100,000 sorted inserts', () => {
    const n = 100_000;
    const t = new OrderedSlots(n);
    for (let i = 0; i < n; i++) t.insert(i, i);
    expect(t.height()).toBeLessThan(60); // ~2.5 log2 n for a treap; a plain BST would be n
    let count = 0;
    t.forEachInRange(1000, 1010, () => count++);
    expect(count).toBe(10);
  });
});
