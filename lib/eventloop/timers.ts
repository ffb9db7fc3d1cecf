/**
 * Node's timer bookkeeping, reproduced because it decides the order when the loop runs late:
 * one FIFO list per delay (after Node's clamp of delays below 1 ms to 1 ms), and the lists ordered by
 * (expiry, id) where a list gets a fresh id whenever it is postponed. All times in simulated ms.
 */
import type { LoopSource } from "./types";

/** A callback waiting in some queue of the loop. */
export interface LoopJob {
  label: string;
  task: string;
  source: LoopSource;
  run: () => void;
}

export interface TimerJob extends LoopJob {
  id: number;
  /** Delay after Node's clamp (ms): the key of its list. */
  msecs: number;
  /** When the timer (re)started (ms). */
  start: number;
  repeat: boolean;
  cleared: boolean;
}

export interface TimerList {
  msecs: number;
  expiry: number;
  id: number;
  timers: TimerJob[];
}

export class NodeTimerLists {
  private lists = new Map<number, TimerList>();
  private byId = new Map<number, TimerJob>();
  private listIds = 0;

  get size(): number {
    return this.lists.size;
  }

  /** A new timer (or an interval restarting): append it to the list of its delay. */
  add(t: TimerJob): void {
    this.byId.set(t.id, t);
    let list = this.lists.get(t.msecs);
    if (!list) {
      list = { msecs: t.msecs, expiry: t.start + t.msecs, id: ++this.listIds, timers: [] };
      this.lists.set(t.msecs, list);
    }
    list.timers.push(t);
  }

  /** clearTimeout: returns the timer if it was still waiting. */
  clear(id: unknown): TimerJob | undefined {
    const t = typeof id === "number" ? this.byId.get(id) : undefined;
    if (!t || t.cleared) return undefined;
    t.cleared = true;
    this.byId.delete(t.id);
    const list = this.lists.get(t.msecs);
    if (!list) return undefined;
    const i = list.timers.indexOf(t);
    if (i >= 0) list.timers.splice(i, 1);
    if (list.timers.length === 0) this.lists.delete(t.msecs);
    return i >= 0 ? t : undefined;
  }

  /** The list Node would look at first. */
  first(): TimerList | undefined {
    let best: TimerList | undefined;
    for (const l of this.lists.values()) {
      if (!best || l.expiry < best.expiry || (l.expiry === best.expiry && l.id < best.id)) best = l;
    }
    return best;
  }

  /** The head of `list` is not due yet: move the list's expiry, as listOnTimeout does. */
  postpone(list: TimerList, now: number): void {
    const head = list.timers[0];
    list.expiry = Math.max(head.start + list.msecs, now + 1);
    list.id = ++this.listIds;
  }

  /** Take the head of `list` off to run it. */
  shift(list: TimerList): TimerJob | undefined {
    const t = list.timers.shift();
    if (t && !t.repeat) this.byId.delete(t.id);
    return t;
  }

  dropIfEmpty(list: TimerList): void {
    if (list.timers.length === 0 && this.lists.get(list.msecs) === list) this.lists.delete(list.msecs);
  }

  nextDue(): number {
    const l = this.first();
    return l ? l.expiry : Infinity;
  }

  /** Every waiting timer, by due time then creation. */
  all(): TimerJob[] {
    const out: TimerJob[] = [];
    for (const l of this.lists.values()) out.push(...l.timers);
    return out.sort((a, b) => a.start + a.msecs - (b.start + b.msecs) || a.id - b.id);
  }
}
