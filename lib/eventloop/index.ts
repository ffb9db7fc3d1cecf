/**
 * lib/eventloop — a deterministic model of Node's event loop.
 *
 * One thread runs one callback at a time. Callbacks wait in queues: process.nextTick, promise microtasks,
 * timers (setTimeout/setInterval), IO completions (poll phase) and setImmediate (check phase). After each
 * callback the loop drains nextTicks, then microtasks. Work is simulated: `cpu(ms)` advances the clock while
 * holding the thread, so a timer due meanwhile fires late (loop lag); `io(ms)` waits off the thread.
 * Async functions are generators where `yield p` means `await p`. Everything is deterministic.
 *
 * Start with `runLoop(api => ...)`, or `runAsyncTasks([asyncTask("A", [...steps])])` for declarative tasks.
 */

export type { LoopApi, LoopAsyncBody, LoopMutex } from "./api";
export * from "./program";
export { LoopPromise } from "./promise";
export * from "./steps";
export * from "./types";
