/**
 * A resource with `capacity` identical slots (cores, IO devices, a coffee machine) and a FIFO queue.
 * `yield res.request()` waits for a slot; `res.release(req)` gives it back to the next in line.
 */
import { checkString, describeValue } from "../errors/validate";
import type { SimEnvironment } from "./env";
import { SimInputError } from "./errors";
import { SimEvent, type SimGenerator } from "./events";

/** A request for one slot; as an event it triggers when the slot is granted. */
export class SimRequest extends SimEvent<SimRequest> {
  readonly resource: SimResource;
  /** Time the request was made and granted (ticks; NaN while waiting). */
  readonly requestedAt: number;
  grantedAt = NaN;
  constructor(resource: SimResource) {
    super(resource.env);
    this.resource = resource;
    this.requestedAt = resource.env.now;
  }
}

export class SimResource {
  readonly env: SimEnvironment;
  readonly capacity: number;
  readonly name: string;
  /** Requests holding a slot now. */
  readonly users: SimRequest[] = [];
  private queue: SimRequest[] = [];
  private head = 0;
  private area = 0;
  private since: number;
  private lastT: number;
  /** Requests granted so far. */
  granted = 0;
  /** Total time requests spent queued before being granted (ticks). */
  totalWait = 0;

  /** `capacity` is a whole number ≥ 1 (or Infinity). */
  constructor(env: SimEnvironment, capacity: number, name = "resource") {
    // (duck-typed: env.ts imports this file)
    const e = env as unknown as { now?: unknown; schedule?: unknown } | null;
    if (e === null || typeof e !== "object" || typeof e.now !== "number" || typeof e.schedule !== "function")
      throw new SimInputError(
        `Expected a SimEnvironment as the first argument of new SimResource, got ${describeValue(env)}: ` +
          `e.g. new SimResource(env, 2).`,
      );
    checkString(SimInputError, "the name of a SimResource", name, { maxLength: 100 });
    if (typeof capacity !== "number" || !(capacity >= 1) || (capacity !== Infinity && !Number.isInteger(capacity)))
      throw new SimInputError(
        `Expected \`capacity\` of resource "${name}" to be a whole number ≥ 1, got ${describeValue(capacity)}: a resource needs at least one slot.`,
      );
    this.env = env;
    this.capacity = capacity;
    this.name = name;
    this.since = env.now;
    this.lastT = env.now;
  }

  /** Number of requests waiting for a slot. */
  get queueLength(): number {
    return this.queue.length - this.head;
  }

  /** Ask for a slot; `yield` the returned request to wait until it is granted. */
  request(): SimRequest {
    const req = new SimRequest(this);
    if (this.users.length < this.capacity) this.grant(req);
    else this.queue.push(req);
    return req;
  }

  /** Give back the slot held by `req` (or withdraw it if still queued). */
  release(req: SimRequest): void {
    const i = this.users.indexOf(req);
    if (i < 0) {
      const q = this.queue.indexOf(req, this.head);
      if (q >= 0) {
        this.queue.splice(q, 1);
        return;
      }
      throw new SimInputError(
        `release() of a request that does not hold resource "${this.name}": release each granted request exactly once.`,
      );
    }
    this.account();
    this.users.splice(i, 1);
    if (this.head < this.queue.length) {
      const next = this.queue[this.head++];
      if (this.head > 64 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      this.grant(next);
    }
  }

  /** Helper for `yield* res.use(d)`: wait for a slot, hold it `duration` ticks, release it. */
  *use(duration: number): SimGenerator<void> {
    const req = this.request();
    yield req;
    try {
      yield this.env.timeout(duration);
    } finally {
      this.release(req);
    }
  }

  /** Mean number of busy slots divided by capacity since creation (0..1; with capacity Infinity, mean busy slots). */
  utilisation(): number {
    this.account();
    const span = this.env.now - this.since;
    return span > 0 ? this.area / span / (this.capacity === Infinity ? 1 : this.capacity) : 0;
  }

  private account(): void {
    this.area += this.users.length * (this.env.now - this.lastT);
    this.lastT = this.env.now;
  }

  private grant(req: SimRequest): void {
    this.account();
    this.users.push(req);
    req.grantedAt = this.env.now;
    this.granted++;
    this.totalWait += this.env.now - req.requestedAt;
    req.succeed(req);
  }
}
