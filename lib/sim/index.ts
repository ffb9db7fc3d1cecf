/**
 * lib/sim — a small discrete-event engine shaped like SimPy.
 * Time is in ticks (read them as milliseconds in the chapters). Processes are generators that yield events:
 *
 *   const env = new SimEnvironment();
 *   function* worker(name: string) { yield env.timeout(3); return name; }
 *   const p = env.process(worker("A"), "A");
 *   env.run();            // p.value === "A", env.now === 3
 *
 * Where the course uses it: lib/sched runs its scheduling simulations on it; chapter 03's coroutine demo
 * (`coroutineDemo` in lib/chapters/03-processes/coroutines.ts) shows it to the learner directly — requests written as
 * generators that yield what they wait for, sharing a CPU modelled as a SimResource; and the benchmark
 * bench/sim.bench.ts measures its speed in events per second (`npm run bench sim`).
 */
export { SimEnvironment } from "./env";
export { type SimCallback, SimEvent, type SimGenerator, SimProcess } from "./events";

import { LATE, NORMAL, URGENT } from "./events";
/** Priorities of events at equal times for `env.schedule(ev, delay, priority)`: lower runs first. */
export const SIM_PRIORITY = { URGENT, NORMAL, LATE } as const;
export type { AnyOfValue } from "./condition";
export { SimEventError, SimInputError, SimInterrupt, SimProcessError } from "./errors";
export { makeRng, type SimRng } from "./random";
export { SimRequest, SimResource } from "./resource";
