// A compact ordered set of integer slots keyed by a float64, as a treap in typed arrays.
//
// Each member slot is one tree node: its key lives in `keys[slot]`, its children in
// `left[slot]`/`right[slot]`, and its heap priority is a hash of the slot number (not stored).
// Order is (key, slot), a total order, so equal keys are fine. 16 bytes per slot of capacity.
// insert / remove / rekey: O(log n) expected; range walk: O(log n + k) for k slots in range.

const NIL = -1;

/** murmur3 fmix32 of the slot: a fixed pseudo-random treap priority per slot. */
function priority(slot: number): number {
  let x = (slot + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

export class OrderedSlots {
  private keys: Float64Array;
  private left: Int32Array;
  private right: Int32Array;
  private root = NIL;
  private count = 0;
  /** Reusable explicit stack for iterative walks (never shrinks; tree height is O(log n)). */
  private readonly stack: number[] = [];

  constructor(initialCapacity = 16) {
    const cap = Math.max(1, initialCapacity);
    this.keys = new Float64Array(cap);
    this.left = new Int32Array(cap).fill(NIL);
    this.right = new Int32Array(cap).fill(NIL);
  }

  get size(): number {
    return this.count;
  }

  get capacity(): number {
    return this.keys.length;
  }

  /** Grows the arrays so slots `0 .. capacity - 1` can be used. */
  ensureCapacity(capacity: number): void {
    if (capacity <= this.keys.length) return;
    const keys = new Float64Array(capacity);
    keys.set(this.keys);
    const left = new Int32Array(capacity).fill(NIL);
    left.set(this.left);
    const right = new Int32Array(capacity).fill(NIL);
    right.set(this.right);
    this.keys = keys;
    this.left = left;
    this.right = right;
  }

  /** The key of a member slot. */
  key(slot: number): number {
    return this.keys[slot] ?? Number.NaN;
  }

  /** Inserts a slot that is not a member. `key` must not be NaN. */
  insert(slot: number, key: number): void {
    if (Number.isNaN(key)) throw new RangeError('OrderedSlots: NaN key');
    if (slot < 0 || slot >= this.keys.length) throw new RangeError(`OrderedSlots: slot ${slot} out of capacity`);
    this.keys[slot] = key;
    this.left[slot] = NIL;
    this.right[slot] = NIL;
    this.root = this.insertAt(this.root, slot);
    this.count++;
  }

  /** Removes a member slot (looked up by its current key). */
  remove(slot: number): void {
    const before = this.count;
    this.root = this.removeAt(this.root, slot);
    if (this.count === before) throw new Error(`OrderedSlots: slot ${slot} is not a member`);
  }

  /** Changes a member slot's key. */
  rekey(slot: number, key: number): void {
    if (this.keys[slot] === key) return;
    this.remove(slot);
    this.insert(slot, key);
  }

  /** Calls `fn` for every member with `lo < key ≤ hi`, in ascending (key, slot) order. */
  forEachInRange(lo: number, hi: number, fn: (slot: number) => void): void {
    const { keys, left, right, stack } = this;
    const base = stack.length;
    let t = this.root;
    for (;;) {
      while (t !== NIL) {
        const k = keys[t] ?? 0;
        if (k <= lo) t = right[t] ?? NIL;
        else if (k > hi) t = left[t] ?? NIL;
        else {
          stack.push(t);
          t = left[t] ?? NIL;
        }
      }
      if (stack.length === base) return;
      const n = stack.pop() ?? NIL;
      fn(n);
      t = right[n] ?? NIL;
      // Members of the right subtree can exceed hi; the inner loop skips them.
    }
  }

  /** Members with `key > lo`, in descending (key, slot) order. */
  descendingAbove(lo: number): number[] {
    const { keys, left, right } = this;
    const out: number[] = [];
    const stack: number[] = [];
    const pushRightSpine = (start: number): void => {
      let t = start;
      while (t !== NIL) {
        if ((keys[t] ?? 0) > lo) {
          stack.push(t);
          t = right[t] ?? NIL;
        } else {
          t = right[t] ?? NIL;
        }
      }
    };
    pushRightSpine(this.root);
    while (stack.length > 0) {
      const n = stack.pop() ?? NIL;
      out.push(n);
      pushRightSpine(left[n] ?? NIL);
    }
    return out;
  }

  /** Tree height (for tests and diagnostics). */
  height(): number {
    const walk = (t: number): number =>
      t === NIL ? 0 : 1 + Math.max(walk(this.left[t] ?? NIL), walk(this.right[t] ?? NIL));
    return walk(this.root);
  }

  /** Checks the BST order, heap order and member count; throws on a violation (for tests). */
  check(): void {
    let seen = 0;
    let prev: [number, number] | undefined;
    const visit = (t: number): void => {
      if (t === NIL) return;
      const l = this.left[t] ?? NIL;
      const r = this.right[t] ?? NIL;
      if (l !== NIL && priority(l) > priority(t)) throw new Error('heap order (left)');
      if (r !== NIL && priority(r) > priority(t)) throw new Error('heap order (right)');
      visit(l);
      const k = this.keys[t] ?? 0;
      if (prev && !(prev[0] < k || (prev[0] === k && prev[1] < t))) throw new Error('key order');
      prev = [k, t];
      seen++;
      visit(r);
    };
    visit(this.root);
    if (seen !== this.count) throw new Error(`count ${this.count} but ${seen} nodes`);
  }

  private less(a: number, b: number): boolean {
    const ka = this.keys[a] ?? 0;
    const kb = this.keys[b] ?? 0;
    return ka < kb || (ka === kb && a < b);
  }

  private insertAt(t: number, x: number): number {
    if (t === NIL) return x;
    if (this.less(x, t)) {
      const l = this.insertAt(this.left[t] ?? NIL, x);
      this.left[t] = l;
      if (priority(l) > priority(t)) {
        this.left[t] = this.right[l] ?? NIL;
        this.right[l] = t;
        return l;
      }
    } else {
      const r = this.insertAt(this.right[t] ?? NIL, x);
      this.right[t] = r;
      if (priority(r) > priority(t)) {
        this.right[t] = this.left[r] ?? NIL;
        this.left[r] = t;
        return r;
      }
    }
    return t;
  }

  private removeAt(t: number, x: number): number {
    if (t === NIL) return NIL;
    if (t === x) {
      this.count--;
      const merged = this.merge(this.left[t] ?? NIL, this.right[t] ?? NIL);
      this.left[t] = NIL;
      this.right[t] = NIL;
      return merged;
    }
    if (this.less(x, t)) this.left[t] = this.removeAt(this.left[t] ?? NIL, x);
    else this.right[t] = this.removeAt(this.right[t] ?? NIL, x);
    return t;
  }

  private merge(a: number, b: number): number {
    if (a === NIL) return b;
    if (b === NIL) return a;
    if (priority(a) > priority(b)) {
      this.right[a] = this.merge(this.right[a] ?? NIL, b);
      return a;
    }
    this.left[b] = this.merge(a, this.left[b] ?? NIL);
    return b;
  }
}
