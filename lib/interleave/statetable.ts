/**
 * A hash set of fixed-width Int32 state vectors, numbered 0, 1, 2, ... in insertion order.
 * Open addressing over flat typed arrays: about (4·width + 12) bytes per state, no per-state objects,
 * so millions of states fit without pressure on the garbage collector. Each slot keeps the state's hash beside its id,
 * so a probe reads a stored state only when the hashes agree, and growing never rehashes a state.
 */
export class InterleaveStateTable {
  private pool: Int32Array;
  private slots: Int32Array; // pairs [state id + 1 (0 = empty), hash]
  private mask: number;
  size = 0;

  constructor(
    readonly width: number,
    capacity = 1024,
  ) {
    this.pool = new Int32Array(Math.max(1, width) * capacity);
    let n = 2048;
    while (n < capacity * 2) n *= 2;
    this.slots = new Int32Array(2 * n);
    this.mask = n - 1;
  }

  private hash(v: Int32Array): number {
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < this.width; i++) {
      h = Math.imul(h ^ v[i], 0x01000193);
      h ^= h >>> 15;
    }
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    return h ^ (h >>> 13);
  }

  private equal(id: number, v: Int32Array): boolean {
    const p = this.pool;
    const base = id * this.width;
    for (let i = 0; i < this.width; i++) if (p[base + i] !== v[i]) return false;
    return true;
  }

  /** Id of state v, or -1 when absent. */
  find(v: Int32Array): number {
    const h = this.hash(v);
    const slots = this.slots;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const s = slots[2 * i];
      if (s === 0) return -1;
      if (slots[2 * i + 1] === h && this.equal(s - 1, v)) return s - 1;
    }
  }

  /** Adds state v (known to be absent) and returns its id. */
  add(v: Int32Array): number {
    const id = this.size;
    if ((id + 1) * this.width > this.pool.length) {
      const p = new Int32Array(this.pool.length * 2);
      p.set(this.pool);
      this.pool = p;
    }
    this.pool.set(v, id * this.width);
    this.size++;
    if (this.size * 2 > this.mask + 1) this.grow();
    this.place(id + 1, this.hash(v));
    return id;
  }

  private place(s: number, h: number): void {
    let i = h & this.mask;
    while (this.slots[2 * i] !== 0) i = (i + 1) & this.mask;
    this.slots[2 * i] = s;
    this.slots[2 * i + 1] = h;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.mask = old.length - 1;
    for (let i = 0; i < old.length; i += 2) if (old[i] !== 0) this.place(old[i], old[i + 1]);
  }
}

/** A growable Int32 list. */
export class InterleaveIntList {
  data = new Int32Array(1024);
  length = 0;
  push(x: number): void {
    if (this.length === this.data.length) {
      const d = new Int32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = x;
  }
  /** Appends the entries of `other` from index `from` on. */
  append(other: InterleaveIntList, from: number): void {
    const n = other.length - from;
    if (this.length + n > this.data.length) {
      let size = this.data.length * 2;
      while (size < this.length + n) size *= 2;
      const d = new Int32Array(size);
      d.set(this.data.subarray(0, this.length));
      this.data = d;
    }
    this.data.set(other.data.subarray(from, other.length), this.length);
    this.length += n;
  }
}
