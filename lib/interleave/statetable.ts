/**
 * A hash set of fixed-width Int32 state vectors, numbered 0, 1, 2, ... in insertion order.
 * Open addressing over flat typed arrays: about (4·width + 8) bytes per state, no per-state objects,
 * so millions of states fit without pressure on the garbage collector.
 */
export class InterleaveStateTable {
  private pool: Int32Array;
  private slots: Int32Array; // state id + 1, 0 = empty
  private mask: number;
  size = 0;

  constructor(
    readonly width: number,
    capacity = 1024,
  ) {
    this.pool = new Int32Array(Math.max(1, width) * capacity);
    let n = 2048;
    while (n < capacity * 2) n *= 2;
    this.slots = new Int32Array(n);
    this.mask = n - 1;
  }

  private hash(v: Int32Array, off: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < this.width; i++) {
      h = Math.imul(h ^ v[off + i], 0x01000193);
      h ^= h >>> 15;
    }
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    return (h ^ (h >>> 13)) >>> 0;
  }

  private equal(id: number, v: Int32Array): boolean {
    const p = this.pool;
    const base = id * this.width;
    for (let i = 0; i < this.width; i++) if (p[base + i] !== v[i]) return false;
    return true;
  }

  /** Id of state v, or -1 when absent. */
  find(v: Int32Array): number {
    let i = this.hash(v, 0) & this.mask;
    for (;;) {
      const s = this.slots[i];
      if (s === 0) return -1;
      if (this.equal(s - 1, v)) return s - 1;
      i = (i + 1) & this.mask;
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
    if (this.size * 2 > this.slots.length) this.rehash();
    else this.place(id);
    return id;
  }

  private place(id: number): void {
    let i = this.hash(this.pool, id * this.width) & this.mask;
    while (this.slots[i] !== 0) i = (i + 1) & this.mask;
    this.slots[i] = id + 1;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.mask = this.slots.length - 1;
    for (let id = 0; id < this.size; id++) this.place(id);
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
}
