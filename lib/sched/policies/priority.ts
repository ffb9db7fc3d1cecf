import type { SchedPolicy, SchedTaskView } from "../types";

/**
 * Preemptive priority: the ready task with the highest priority runs; a higher one arriving takes the core.
 * Equal priorities share in FIFO order (round robin if `quantum` is given).
 * Aging (optional): every `aging` ticks spent waiting in the ready queue raise a task's priority by 1; a task keeps the
 * priority it had when dispatched while it runs, and falls back to its own priority when it leaves the core.
 * A lock protocol (runSchedule's `lockProtocol`) changes `priority` itself while a task holds or waits for a lock.
 */
export function priorityPolicy(quantum = Infinity, aging = Infinity): SchedPolicy {
  // Aging a running task had when dispatched; added to its priority, which a lock protocol may change meanwhile.
  const runningBoost = new Map<number, number>();
  const eff = (t: SchedTaskView, now: number) =>
    aging === Infinity ? t.priority : t.priority + Math.floor((now - t.readySince) / aging + 1e-9);
  const cur = (t: SchedTaskView, now: number) => {
    const b = runningBoost.get(t.id);
    return b === undefined ? eff(t, now) : t.priority + b;
  };
  return {
    name: "PRIORITY",
    pick(ready, now) {
      let best = 0;
      let bp = eff(ready[0], now);
      for (let i = 1; i < ready.length; i++) {
        const p = eff(ready[i], now);
        if (p > bp) {
          bp = p;
          best = i;
        }
      }
      return best;
    },
    slice: () => quantum,
    preempts: (c, r, now) => eff(c, now) > cur(r, now),
    started(t, now) {
      runningBoost.set(t.id, eff(t, now) - t.priority);
    },
    stopped(t) {
      runningBoost.delete(t.id);
    },
    wakeAt(now, ready, running) {
      if (aging === Infinity || ready.length === 0 || running.length === 0) return Infinity;
      let next = Infinity;
      for (const t of ready) {
        const steps = Math.floor((now - t.readySince) / aging + 1e-9) + 1;
        next = Math.min(next, t.readySince + steps * aging);
      }
      return next;
    },
  };
}
