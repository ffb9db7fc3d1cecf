/**
 * How a running real experiment learns that the learner pressed ■ (Kernel → Interrupt) or Ctrl+C.
 *
 * Jupyter interrupts a kernel whose kernelspec has no `interrupt_mode` (ours: jupyter/kernels/tslab) by sending
 * SIGINT to the kernel's process group (jupyter_client's LocalProvisioner.send_signal uses os.killpg). tslab listens
 * with `process.on("SIGINT")` and only rejects the running cell's promise ("Interrupted asynchronously"), or, while a
 * cell's synchronous code runs, lets `vm`'s breakOnSigint stop it. Nothing tells the experiment the cell started.
 *
 * So every experiment, while it runs (and only then: nothing is installed at import), registers here; one SIGINT
 * listener stops every running experiment (runBounded then terminates its workers and kills its children). A
 * listener runs only when the event loop turns, so experiments keep their main-thread work in short pieces
 * (`RealResources.breathe`) or run it through `RealResources.runSync`, whose `vm` breakOnSigint stops synchronous
 * work in the middle (the signal then reaches no listener, so runSync hands it on with `deliverInterrupt`).
 * Outside a notebook (plain node, ts-node), where ours is the only SIGINT listener, Ctrl+C keeps its meaning: the
 * experiments are stopped and cleaned up first, then the signal is raised again and ends the process as usual.
 */
import { isMainThread } from "node:worker_threads";

const running = new Set<() => void>();
let raiseAgain = false;
let reconciling = false;

function stopAll(): void {
  for (const stop of Array.from(running)) stop();
}

function onSigint(): void {
  // Only ours: a script run in a terminal, where Ctrl+C means "stop the program" once the experiments are cleaned up.
  if (process.listeners("SIGINT").every((l) => l === onSigint)) raiseAgain = true;
  stopAll();
}

/**
 * Adds or removes our listener, from a microtask. Never while `vm` runs code with breakOnSigint (tslab runs a cell's
 * synchronous part that way, and so does runSync): vm takes every SIGINT listener away meanwhile and puts them back
 * after, and a listener added in between leaves the process with Node's exit-on-SIGINT handler (measured: the next
 * Kernel → Interrupt killed the kernel). The microtask runs once that synchronous part has returned.
 */
function reconcile(): void {
  if (reconciling) return;
  reconciling = true;
  queueMicrotask(() => {
    reconciling = false;
    const present = process.listeners("SIGINT").includes(onSigint);
    if (running.size > 0 && !present) process.on("SIGINT", onSigint);
    if (running.size === 0 && present) process.off("SIGINT", onSigint);
  });
}

/**
 * Registers `stop` to be called on SIGINT while an experiment runs; returns the function that unregisters it (call
 * it after the experiment's clean-up). Off the main thread (signals reach only the main thread) it does nothing.
 */
export function watchInterrupts(stop: () => void): () => void {
  if (!isMainThread) return () => undefined;
  running.add(stop);
  reconcile();
  return () => {
    running.delete(stop);
    reconcile();
    if (running.size > 0 || !raiseAgain) return;
    raiseAgain = false;
    // after one turn of the loop, so that the script's own handlers see the RealInterruptError first
    setImmediate(() => {
      if (process.listeners("SIGINT").every((l) => l === onSigint)) process.kill(process.pid, "SIGINT");
    });
  };
}

/**
 * A SIGINT that `vm`'s breakOnSigint consumed (it stopped synchronous work, and no listener saw it): stop every
 * running experiment and hand the signal to every SIGINT listener as if it had arrived normally, so that tslab ends
 * the cell (inside a cell's synchronous part there are none: vm took them away, and the cell ends by our error).
 */
export function deliverInterrupt(): void {
  stopAll();
  process.emit("SIGINT", "SIGINT");
}

/** Number of experiments that would be stopped by an interrupt now (for tests). */
export function experimentsWatchingInterrupts(): number {
  return running.size;
}
