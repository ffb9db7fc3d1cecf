/**
 * Chapter 08's cost model: what each way of serving connections pays, in simulated ms and MB.
 *
 * True costs, not the seed's folklore:
 *   - a thread's 8 MB stack is *reserved address space* (pthread_create(3), getrlimit(2) RLIMIT_STACK); pages are
 *     committed only when touched, so a thread commits tens of KiB (stack pages in use + kernel task structures and
 *     kernel stack): `threadMemoryMB` = 64 KiB, a labelled model parameter;
 *   - every request pays two *hand-offs*: an OS-thread wake for processes and threads, an event-loop turn for async
 *     (a task woken by its IO goes through the loop); both come from this machine (ch08's ping-pong measurements);
 *   - cache refills for a task's cold data are a cost of the data, not of the kind of task: the optional growth
 *     (`switchGrowth`, default 0) multiplies the thread *and* the async hand-off alike;
 *   - the hard cap is an OS limit (threads-max, pid_max, ulimit -u, vm.max_map_count: 10⁴–10⁵; a cgroup's pids.max
 *     can be a few thousand), and the RAM one gives threads.
 * Every time is simulated ms (lib/sched ticks read as ms); memory is MB.
 */
import { CourseError } from "../../errors";

/** The ways to serve connections that the sweep compares. */
export type ChooseModel = "processes" | "threadsGil" | "threads" | "async" | "processesAsync" | "asyncN" | "messages";

/** Every model, in the order used for colours. */
export const CHOOSE_MODELS: readonly ChooseModel[] = [
  "processes",
  "threadsGil",
  "threads",
  "async",
  "processesAsync",
  "asyncN",
  "messages",
];

/** Learner-facing names (Python's name, then other runtimes). */
export const CHOOSE_LABELS: Record<ChooseModel, string> = {
  processes: "processes, blocking IO (gunicorn sync workers)",
  threadsGil: "threads with a GIL (Python threading)",
  threads: "OS threads, no GIL (Java, C#, Rust, free-threaded Python)",
  async: "async, one event loop (asyncio · Node)",
  processesAsync: "processes × async: a loop per core (Node cluster, uvicorn workers)",
  asyncN: "async on N threads (Tokio, .NET, Kotlin, Java virtual threads)",
  messages: "messages: one loop + a worker pool by postMessage (worker_threads pool, ProcessPoolExecutor)",
};

/** Short tags for heatmap cells. */
export const CHOOSE_TAGS: Record<ChooseModel, string> = {
  processes: "P",
  threadsGil: "G",
  threads: "T",
  async: "A",
  processesAsync: "PA",
  asyncN: "AN",
  messages: "M",
};

/** A point of the sweep: the workload. */
export interface ChoosePoint {
  /** Share of a request's time spent on the CPU, 0..1 (0 = pure IO, 1 = pure CPU). */
  cpuShare: number;
  /** Connections to serve, each with one request (whole number ≥ 1). */
  connections: number;
  /** Time one request takes when run alone (ms): CPU = share × R, IO latency = (1 − share) × R. */
  requestMs: number;
}

/** Costs of each model (ms, MB). See DEFAULT_CHOOSE_COSTS for where each default comes from. */
export interface ChooseCosts {
  /** Cores of the machine. */
  cores: number;
  /** Start-up of the worker processes, paid inside the measured time (ms; 0 = pre-started before requests arrive). */
  processSpawnMs: number;
  /** Memory of one worker process (MB). */
  processMemoryMB: number;
  /** Creating one thread (ms), one after the other by the accepting thread (0 = a pre-created pool). */
  threadCreateMs: number;
  /** Memory a thread *commits* (MB): touched stack pages + kernel structures; not the 8 MB it reserves. */
  threadMemoryMB: number;
  /** RAM the server may give its threads (MB); with threadMemoryMB it caps the pool. */
  memoryBudgetMB: number;
  /** The OS's limit on threads per process (threads-max, ulimit -u, vm.max_map_count ÷ 2). */
  osThreadLimit: number;
  /** One hand-off between OS threads on an idle machine (ms): wake another thread, which runs. */
  threadSwitchMs: number;
  /**
   * Optional growth of every hand-off, thread or async alike: × (1 + switchGrowth · log2(connections per core))
   * (cold data refilled into the caches). A model assumption, default 0: the measured hand-offs only.
   */
  switchGrowth: number;
  /** Time slice of preemptive threads (ms; 5 = Python's switch interval). */
  quantumMs: number;
  /** Creating one async task (ms). */
  asyncCreateMs: number;
  /** One hand-off between async tasks when IO wakes one: an event-loop turn (ms). */
  asyncSwitchMs: number;
  /** Memory of one async task (MB). */
  asyncMemoryMB: number;
  /**
   * One message between a loop and a worker that share nothing (ms): half a postMessage round trip (the message is
   * copied, the receiver's loop runs its handler). The "messages" model pays two per request with CPU work, as CPU
   * time: an upper bound, since part of the echo is the other thread waking up.
   */
  messageMs: number;
}

/**
 * The default costs. threadSwitchMs and asyncSwitchMs are *recorded* on the course's build machine (2 cores, Node 20):
 * half a round trip of `pingPongExperiment` (Atomics ping-pong 9.2 µs, event-loop turn 2.2 µs); run it and pass your
 * own (measuredSwitchCosts). messageMs likewise: half its postMessage echo between the main thread and a worker
 * (28 µs, median of 5, recorded on the same machine while other programs kept it busy: more than an idle machine's).
 * switchGrowth 0: no hand-off growth beyond what was measured.
 * The rest are labelled model parameters: processes and threads pre-started (servers pre-fork: gunicorn, Node cluster,
 * PM2, thread pools), 64 KiB committed per thread, 2 KB per async task, an OS limit of 32768 threads
 * (vm.max_map_count 65530 ÷ 2 maps per thread stack), 1 GB of RAM for threads.
 */
export const DEFAULT_CHOOSE_COSTS: ChooseCosts = {
  cores: 4,
  processSpawnMs: 0,
  processMemoryMB: 30,
  threadCreateMs: 0,
  threadMemoryMB: 0.0625,
  memoryBudgetMB: 1024,
  osThreadLimit: 32768,
  threadSwitchMs: 0.0046,
  switchGrowth: 0,
  quantumMs: 5,
  asyncCreateMs: 0.001,
  asyncSwitchMs: 0.0011,
  asyncMemoryMB: 0.002,
  messageMs: 0.014,
};

/** Bad input to the sweep; the message says what to change. */
export class ChooseInputError extends CourseError {
  constructor(message: string) {
    super(message);
    this.name = "ChooseInputError";
  }
}

export function checkPoint(p: ChoosePoint): void {
  if (!p || typeof p !== "object")
    throw new ChooseInputError(`Expected a point { cpuShare, connections, requestMs }, got ${String(p)}.`);
  if (typeof p.cpuShare !== "number" || !(p.cpuShare >= 0 && p.cpuShare <= 1))
    throw new ChooseInputError(
      `Expected \`cpuShare\` to be a number from 0 to 1, got ${String(p.cpuShare)}: ` +
        `0.2 means 20 % of each request is CPU work.`,
    );
  if (!Number.isInteger(p.connections) || p.connections < 1 || p.connections > 20000)
    throw new ChooseInputError(
      `Expected \`connections\` to be a whole number from 1 to 20000, got ${String(p.connections)}.`,
    );
  if (typeof p.requestMs !== "number" || !(p.requestMs > 0 && p.requestMs <= 10_000))
    throw new ChooseInputError(
      `Expected \`requestMs\` to be a number of ms > 0 (at most 10000), got ${String(p.requestMs)}: ` +
        `e.g. requestMs: 20.`,
    );
}

/** Fill in and check costs. */
export function chooseCosts(costs: Partial<ChooseCosts> = {}): ChooseCosts {
  if (costs === null || typeof costs !== "object")
    throw new ChooseInputError(`Expected costs to be an object like { cores: 4 }, got ${String(costs)}.`);
  for (const k of Object.keys(costs))
    if (!(k in DEFAULT_CHOOSE_COSTS))
      throw new ChooseInputError(`Unknown cost \`${k}\`: use one of ${Object.keys(DEFAULT_CHOOSE_COSTS).join(", ")}.`);
  const c: ChooseCosts = { ...DEFAULT_CHOOSE_COSTS, ...costs };
  for (const [k, v] of Object.entries(c)) {
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0)
      throw new ChooseInputError(`Expected cost \`${k}\` to be a finite number ≥ 0, got ${String(v)}.`);
  }
  if (!Number.isInteger(c.cores) || c.cores < 1)
    throw new ChooseInputError(`Expected \`cores\` to be a whole number ≥ 1, got ${c.cores}.`);
  if (!(c.quantumMs > 0))
    throw new ChooseInputError(
      `Expected \`quantumMs\` > 0, got ${c.quantumMs}: threads are preempted every quantum, e.g. 5.`,
    );
  if (!(c.threadMemoryMB > 0))
    throw new ChooseInputError(`Expected \`threadMemoryMB\` > 0, got ${c.threadMemoryMB}: e.g. 0.0625 (64 KiB).`);
  if (!(c.osThreadLimit >= 1))
    throw new ChooseInputError(`Expected \`osThreadLimit\` ≥ 1, got ${c.osThreadLimit}: e.g. 32768.`);
  return c;
}

/** One request's CPU and IO time (ms) at a point. */
export function requestShape(p: ChoosePoint): { cpuMs: number; ioMs: number } {
  checkPoint(p);
  return { cpuMs: p.cpuShare * p.requestMs, ioMs: (1 - p.cpuShare) * p.requestMs };
}

/** Largest thread pool: the OS limit, or the RAM budget ÷ committed memory per thread, whichever is lower (≥ 1). */
export function maxThreads(costs: Partial<ChooseCosts> = {}): number {
  const c = chooseCosts(costs);
  return Math.max(1, Math.min(Math.floor(c.osThreadLimit), Math.floor(c.memoryBudgetMB / c.threadMemoryMB)));
}

/**
 * The optional growth of a hand-off when `n` connections take turns: 1 + switchGrowth · log2(n per core). A model
 * assumption (cold data refilled into the caches): the same for threads and async tasks, since a cold task's data
 * (its stack or its closures, promises and buffers) is refilled either way; switchGrowth 0 (default) gives 1.
 */
function growth(n: number, c: ChooseCosts, what: string): number {
  if (!(n >= 1)) throw new ChooseInputError(`Expected \`${what}\` to be a number ≥ 1, got ${String(n)}.`);
  return 1 + c.switchGrowth * Math.log2(Math.max(1, n / c.cores));
}

/** One hand-off between OS threads when `threads` of them take turns on the cores (ms): the base cost × growth. */
export function handOffMs(threads: number, costs: Partial<ChooseCosts> = {}): number {
  const c = chooseCosts(costs);
  return c.threadSwitchMs * growth(threads, c, "threads");
}

/** One hand-off between async tasks when `tasks` of them take turns (ms): the event-loop turn × the same growth. */
export function asyncHandOffMs(tasks: number, costs: Partial<ChooseCosts> = {}): number {
  const c = chooseCosts(costs);
  return c.asyncSwitchMs * growth(tasks, c, "tasks");
}

/** What each cost means, for the chapter's table. */
export const COST_MEANINGS: Record<keyof ChooseCosts, string> = {
  cores: "cores of the machine",
  processSpawnMs: "start-up of the worker processes inside the timed run (0: pre-started)",
  processMemoryMB: "RAM of one worker process (MB)",
  threadCreateMs: "creating one thread per connection (0: a pre-created pool)",
  threadMemoryMB: "RAM one thread commits (MB): touched stack pages + kernel structures",
  memoryBudgetMB: "RAM the server gives its threads (MB)",
  osThreadLimit: "OS limit on threads per process",
  threadSwitchMs: "one hand-off between OS threads (ms)",
  switchGrowth: "hand-off growth per doubling of connections per core (threads and async alike; 0: none)",
  quantumMs: "time slice of preemptive threads (ms)",
  asyncCreateMs: "creating one async task (ms)",
  asyncSwitchMs: "one hand-off between async tasks: an event-loop turn (ms)",
  asyncMemoryMB: "RAM of one async task (MB)",
  messageMs: "one message between a loop and a worker, half a postMessage round trip (ms)",
};

/** The costs as table rows: name, value, meaning, and where the value comes from (`measured`: keys measured here). */
export function costTableRows(
  costs: Partial<ChooseCosts> = {},
  measured: readonly string[] = [],
): { cost: string; value: number; meaning: string; source: string }[] {
  const c = chooseCosts(costs);
  const recorded = ["threadSwitchMs", "asyncSwitchMs", "messageMs"];
  return (Object.keys(c) as (keyof ChooseCosts)[]).map((k) => ({
    cost: k,
    value: c[k],
    meaning: COST_MEANINGS[k],
    source: measured.includes(k)
      ? "measured here (ping-pong)"
      : k in costs && costs[k] !== DEFAULT_CHOOSE_COSTS[k]
        ? "set by you"
        : recorded.includes(k)
          ? "recorded default (build machine)"
          : "model parameter",
  }));
}
