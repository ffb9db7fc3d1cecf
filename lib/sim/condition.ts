/** allOf / anyOf: events made of other events. A failing part fails the whole (its error is passed on). */
import type { SimEnvironment } from "./env";
import { SimInputError } from "./errors";
import { SimEvent } from "./events";

/** Value of an `anyOf` event: which event came first (its index in the list) and its value. */
export interface AnyOfValue {
  index: number;
  value: unknown;
}

function check(env: SimEnvironment, events: readonly SimEvent<any>[], what: string): void {
  if (!Array.isArray(events))
    throw new SimInputError(`Expected \`${what}\` to get an array of events, got ${String(events)}.`);
  for (const e of events)
    if (!(e instanceof SimEvent) || e.env !== env)
      throw new SimInputError(
        `Expected every item given to \`${what}\` to be an event of this environment, got ${String(e)}.`,
      );
}

/** Triggers once every event has been processed; value = their values in order. */
export function allOf(env: SimEnvironment, events: readonly SimEvent<any>[]): SimEvent<unknown[]> {
  check(env, events, "allOf");
  const out = new SimEvent<unknown[]>(env);
  const values: unknown[] = new Array(events.length);
  let left = events.length;
  if (left === 0) return out.succeed([]);
  events.forEach((e, i) => {
    const on = (ev: SimEvent<any>) => {
      if (out.triggered) {
        if (!ev._ok) ev.defused = true;
        return;
      }
      if (!ev._ok) {
        ev.defused = true;
        out.fail(ev._value);
        return;
      }
      values[i] = ev._value;
      if (--left === 0) out.succeed(values);
    };
    e.addCallback(on);
  });
  return out;
}

/** Triggers once the first event has been processed; value = `{ index, value }`. An empty list triggers at once. */
export function anyOf(env: SimEnvironment, events: readonly SimEvent<any>[]): SimEvent<AnyOfValue> {
  check(env, events, "anyOf");
  const out = new SimEvent<AnyOfValue>(env);
  if (events.length === 0) return out.succeed({ index: -1, value: undefined });
  events.forEach((e, i) => {
    e.addCallback((ev) => {
      if (out.triggered) return;
      if (!ev._ok) {
        ev.defused = true;
        out.fail(ev._value);
        return;
      }
      out.succeed({ index: i, value: ev._value });
    });
  });
  return out;
}
