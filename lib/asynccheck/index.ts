/**
 * asynccheck — check the learner's own async code: every interleaving of real `async (s) => { ... }` functions over
 * a shared store, explored exactly (stateless model checking), with a witness schedule per outcome, violation and
 * deadlock, and a replay of any schedule as a step table.
 *
 * Semantics: every awaited store operation (`s.read`, `s.write`, `s.update`, `s.lock`, `s.unlock`, `s.yield`,
 * `s.waitUntil`) is ONE step, and the only point where another task may run; the code after an operation up to the
 * next one runs inside that step, as JavaScript runs between two awaits. A task's code before its first operation
 * runs at the start, tasks in order. `lock` on a held mutex and `waitUntil` whose test is false are not enabled.
 * A schedule lists the 1-based task taking each step ("1 2 2 1"): two tasks of read-then-write have 6.
 * Check and act in ONE step (no await in between, the real fix of check-then-act): `s.update(key, fn)` returns the
 * value before its change; `s.waitUntil(key, test, change)` waits for `test` and sets `change(value)` in that step.
 *
 * Exact counts: `schedules`, outcome counts, violation and deadlock counts are exact. The one reduction, the state
 * cache (option `cache`, on by default), reuses a state's subtree when the store, the locks and every task's
 * history of returned values are equal: sound when tasks are deterministic functions of what the store returns
 * (re-runs check this and throw `nondeterministic` otherwise); `cache: false` runs once per schedule.
 *
 * Not a pure engine: it runs learner code, and guards against endless loops with a watchdog worker
 * (node:worker_threads + node:inspector, see watchdog.ts for its measured limits; off on worker threads), so it is
 * not bundled for the browser.
 */
export * from "./errors";
export * from "./explore";
export { parseSchedule, replayAsync } from "./replay";
export { updateIgnoringResult } from "./run";
export * from "./types";
