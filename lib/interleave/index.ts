/**
 * lib/interleave — every schedule of a small concurrent program, counted exactly, with a witness for each outcome.
 *
 * The problem first: a thread can be stopped between any two steps, so `counter = counter + 1`, done as three steps
 * (r = counter; r = r + 1; counter = r) by two threads, has 20 possible orders — and 18 of them lose an update.
 * This module lists them all without running them one by one:
 *
 * - Programs: threads of atomic steps (read/write shared cells, add/set registers, atomic inc, CAS, TAS, lock/unlock,
 *   yield, goto and conditional jumps, condition variables with wait/signal/broadcast, counting semaphores with
 *   down/up), built with `threadProgram(...)` or typed as text (`parseThreadProgram`); invariants over cells end a
 *   run that breaks them with a fault. Presets: counterRace, lockedCounter, atomicCounter, twoLockDeadlock,
 *   twoLockOrdered, flagLock, testAndSetLock, petersonLock, boundedBuffer, semaphoreBuffer.
 * - `explore(program, { maxStates, preemptionBound, maxSteps, symmetry })`: exact schedule counts (bigint) per
 *   outcome, a witness schedule per outcome, deadlocked states. The cost grows with the distinct states, not the
 *   schedules. A "schedule" is a maximal run: it ends when every thread finished, in a deadlock, or at a fault.
 *   Spin loops make the state graph cyclic: then there are infinitely many schedules, so counts are null
 *   (`finite: false`) while the reachable outcomes and their witnesses are still exact; `maxSteps` counts the
 *   schedules of at most that many steps instead (longer ones are reported as `truncated`). Nothing hangs:
 *   `maxStates` bounds the work.
 *   Threads with the same code are interchangeable: explore stores one state per renaming class and counts with
 *   multiplicities (symmetry reduction, ./symmetry) — same numbers, far less work; `symmetry: false` turns it off.
 * - Schedule strings are 1-based thread numbers separated by spaces ("1 2 2 1" = T1, T2, T2, T1); a signal with
 *   several sleepers also names the one it wakes ("3>1"): each such choice is a schedule of its own. `replay` turns
 *   one into the step-by-step table and per-step snapshots; `sample` runs random (or PCT) schedules.
 */
export * from "./errors";
export * from "./explore";
export * from "./goals";
export * from "./parse";
export * from "./presets";
export * from "./program";
export * from "./replay";
export * from "./sample";
export * from "./schedule";
export * from "./scheduler";
export * from "./tree";
