/**
 * Node globals that pure lib code uses, for the page. scripts/build-live.js injects these into the browser build of
 * lib (esbuild `inject`: free uses of the names in lib's code refer to these exports; the page's globals are left
 * alone), and the live cells get them in their scope.
 * - setImmediate / clearImmediate: a macrotask, as in Node (asynccheck yields with it). A MessageChannel message
 *   runs as a task of its own, after the promise jobs pending now, without the 4 ms clamp of nested setTimeout.
 * - SharedArrayBuffer: pages that are not cross-origin isolated (a file:// page, a plain static host) have none.
 *   asynccheck's loop guard allocates one before it finds that it cannot start its watchdog worker here (no
 *   worker_threads: it is off, as on a worker thread); a plain ArrayBuffer serves that guard (Atomics load, store,
 *   compareExchange and notify accept one).
 */

const pending = new Map<number, () => void>();
let nextId = 1;
let channel: MessageChannel | undefined;

/** Run `fn(...args)` in a task of its own, after the current one and its promise jobs (Node's setImmediate). */
function setImmediateShim(fn: (...args: any[]) => void, ...args: any[]): number {
  const id = nextId++;
  pending.set(id, () => fn(...args));
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = (e: MessageEvent<number>) => {
      const job = pending.get(e.data);
      if (!job) return;
      pending.delete(e.data);
      job();
    };
  }
  channel.port2.postMessage(id);
  return id;
}

/** Cancel a setImmediate that has not run yet. */
function clearImmediateShim(id: number): void {
  pending.delete(id);
}

const g = globalThis as { SharedArrayBuffer?: SharedArrayBufferConstructor };
const SharedArrayBufferOrPlain = (g.SharedArrayBuffer ?? ArrayBuffer) as SharedArrayBufferConstructor;

export {
  clearImmediateShim as clearImmediate,
  SharedArrayBufferOrPlain as SharedArrayBuffer,
  setImmediateShim as setImmediate,
};
