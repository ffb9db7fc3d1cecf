/** The learner-facing report of a workload that can never finish: who waits for which lock, held by whom. */
import type { EngineTask } from "./metrics";
import type { SchedDeadlock } from "./types";

/** @internal every unfinished task is blocked on a lock at time `now` (ticks). */
export function deadlockReport(
  now: number,
  tasks: EngineTask[],
  locks: Map<string, { owner: EngineTask | null }>,
): SchedDeadlock {
  const waiting: SchedDeadlock["waiting"] = [];
  const parts: string[] = [];
  let finishedHolder = "";
  for (const t of tasks) {
    if (t.state === "done") continue;
    const owner = locks.get(t.on!)?.owner ?? null;
    const holderState =
      owner === null
        ? "nobody"
        : owner.state === "done"
          ? "finished"
          : owner.state === "blocked"
            ? `blocked on "${owner.on}"`
            : owner.state;
    waiting.push({ task: t.name, waitsFor: t.on!, heldBy: owner?.name ?? null, holderState });
    parts.push(
      `${t.name} waits for lock "${t.on}" held by ${owner?.name ?? "nobody"}${owner?.state === "done" ? " (which finished without unlocking it)" : ""}`,
    );
    if (owner?.state === "done") finishedHolder = `add unlock("${t.on}") at the end of ${owner.name}`;
  }
  const fix = finishedHolder
    ? `Nothing can move any more: ${finishedHolder}.`
    : "Nothing can move any more: take locks in the same order in every task (e.g. always alphabetical), or release one lock before taking the next.";
  return { time: now, waiting, message: `Deadlock at t=${now}: ${parts.join("; ")}. ${fix}` };
}
