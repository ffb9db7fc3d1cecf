import type { SchedPolicy } from "../types";
import { fifoPolicy } from "./fifo";

/**
 * Cooperative (an event loop): a task keeps the core until it yields, waits for IO or a lock, or ends;
 * the next one comes from the front of the queue. Same mechanics as FIFO — the name says what it models:
 * nobody is ever interrupted, so a task that never yields holds everyone up.
 */
export function cooperativePolicy(): SchedPolicy {
  return { ...fifoPolicy(), name: "COOPERATIVE" };
}
