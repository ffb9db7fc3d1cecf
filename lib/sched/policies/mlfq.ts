import type { SchedPolicy } from "../types";

/**
 * Multi-level feedback queue (OSTEP's rules): new tasks start in the top queue; a task that uses up its allotment at a
 * level (quantum × 2^level ticks, counted across slices) moves down; a higher queue preempts a lower one; within a
 * queue, round robin. Every `boost` ticks all tasks move back to the top (no starvation).
 */
export function mlfqPolicy(quantum = 1, levels = 3, boost = Infinity): SchedPolicy {
  const level = new Map<number, number>();
  const used = new Map<number, number>();
  const lv = (id: number) => level.get(id) ?? 0;
  const allot = (l: number) => quantum * 2 ** l;
  let nextBoost = boost;
  return {
    name: "MLFQ",
    pick(ready) {
      let best = 0;
      for (let i = 1; i < ready.length; i++) if (lv(ready[i].id) < lv(ready[best].id)) best = i;
      return best;
    },
    slice: (t) => allot(lv(t.id)) - (used.get(t.id) ?? 0),
    preempts: (c, r) => lv(c.id) < lv(r.id),
    stopped(t, ran) {
      const l = lv(t.id);
      const u = (used.get(t.id) ?? 0) + ran;
      if (u >= allot(l) - 1e-9 && l < levels - 1) {
        level.set(t.id, l + 1);
        used.set(t.id, 0);
      } else used.set(t.id, l === levels - 1 && u >= allot(l) - 1e-9 ? 0 : u);
    },
    wakeAt: () => nextBoost,
    onWake(now) {
      if (now + 1e-9 < nextBoost) return;
      level.clear();
      used.clear();
      while (nextBoost <= now + 1e-9) nextBoost += boost;
    },
  };
}
