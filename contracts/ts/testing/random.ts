// A small seeded PRNG (sfc32) for reproducible randomized tests: print the seed, rerun with it.
//   const rng = seededRandom(process.env.GAVEL_TEST_SEED ?? 'curves');

export interface Random {
  /** The seed this generator was made from. */
  readonly seed: string;
  /** Uniform 32-bit unsigned integer. */
  u32(): number;
  /** Uniform float in [0, 1). */
  float(): number;
  /** Uniform integer in [lo, hi] (safe integers). */
  int(lo: number, hi: number): number;
  /** Uniform bigint with at most `bits` bits, in [0, 2^bits). */
  bits(bits: number): bigint;
  /** Uniform bigint in [lo, hi]. */
  bigint(lo: bigint, hi: bigint): bigint;
  /** A bigint in [lo, hi] whose bit length is uniform: small, medium and huge values alike. */
  bigintLog(lo: bigint, hi: bigint): bigint;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** True with probability `p`. */
  chance(p: number): boolean;
}

/** A deterministic generator seeded from a string (hashed with FNV-1a into sfc32's state). */
export function seededRandom(seed: string): Random {
  let h = 0x811c9dc5;
  const state = [0, 0, 0, 0];
  for (let k = 0; k < 4; k++) {
    for (const ch of `${seed}#${k}`) {
      h ^= ch.codePointAt(0) ?? 0;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    state[k] = h;
  }
  let [a, b, c, d] = state as [number, number, number, number];
  const u32 = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 16; i++) u32(); // warm up

  const bits = (n: number): bigint => {
    let v = 0n;
    for (let got = 0; got < n; got += 32) v = (v << 32n) | BigInt(u32());
    const extra = (32 - (n % 32)) % 32;
    return v >> BigInt(extra);
  };
  const bigint = (lo: bigint, hi: bigint): bigint => {
    if (hi < lo) throw new RangeError(`empty range [${lo}, ${hi}]`);
    const span = hi - lo + 1n;
    const n = span.toString(2).length;
    for (;;) {
      const v = bits(n); // rejection sampling: uniform, no modulo bias
      if (v < span) return lo + v;
    }
  };
  const int = (lo: number, hi: number): number => Number(bigint(BigInt(lo), BigInt(hi)));

  return {
    seed,
    u32,
    float: () => u32() / 2 ** 32,
    int,
    bits,
    bigint,
    bigintLog: (lo, hi) => {
      if (hi < lo) throw new RangeError(`empty range [${lo}, ${hi}]`);
      const maxBits = (hi - lo).toString(2).length;
      const cap = (1n << BigInt(int(0, maxBits))) - 1n;
      return bigint(lo, lo + cap < hi ? lo + cap : hi);
    },
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('pick from an empty array');
      return items[int(0, items.length - 1)] as T;
    },
    chance: (p) => u32() / 2 ** 32 < p,
  };
}
