/**
 * Chapter 06's sentence about the real lock-contention measurement, built from the numbers just measured (real
 * timings vary: never typed by hand). Pure: results in, markdown out.
 */
import { checkRows } from "../../errors/validate";
import type { LockContentionRow, PetersonRow } from "../../real/index";
import { LockInputError } from "./errors";

const n = (x: number) => x.toLocaleString("en-US");

/**
 * How throughput changed from 1 worker to `cores` workers, with an empty and with the largest critical section,
 * against the two bounds: the core count and the lock's ceiling 1 ÷ f. Says plainly when this run cannot show it.
 */
export function lockContentionReport(rows: LockContentionRow[], cores: number): string {
  checkRows(
    LockInputError,
    "the rows given to lockContentionReport",
    rows,
    ["workers", "criticalIterations"],
    "pass what lockContention(...) returned (its rows)",
    { min: 1 },
  );
  const sizes = Array.from(new Set(rows.map((r) => r.criticalIterations))).sort((a, b) => a - b);
  const workers = Array.from(new Set(rows.map((r) => r.workers))).sort((a, b) => a - b);
  const lo = workers[0];
  const hi = workers.filter((w) => w <= cores).pop() ?? lo;
  const rate = (w: number, c: number) =>
    rows.find((r) => r.workers === w && r.criticalIterations === c)?.opsPerSecond ?? NaN;
  const gain = (c: number) => rate(hi, c) / rate(lo, c);
  const small = sizes[0];
  const big = sizes[sizes.length - 1];
  const outside = rows[0]?.outsideIterations ?? 0;
  const ceiling = big > 0 ? (big + outside) / big : Infinity;
  const bound = Math.min(hi / lo, ceiling);
  const smallText = small === 0 ? "an empty critical section" : `${n(small)} iterations inside the lock`;
  const parts = [
    `On this machine (${cores} core${cores === 1 ? "" : "s"} available), medians of ${rows[0]?.runsMs?.length ?? 1} ` +
      `runs after a warm-up: going from ${lo} to ${hi} worker${hi === 1 ? "" : "s"} changed total throughput by ` +
      `**×${gain(small).toFixed(2)}** with ${smallText}, and by **×${gain(big).toFixed(2)}** with ${n(big)} ` +
      `iterations inside and ${n(outside)} outside (1 ÷ f = **${ceiling.toFixed(2)}**). ` +
      `Every run counted exactly: **${rows.every((r) => r.exact)}**.`,
  ];
  if (hi === lo || cores < 2) {
    parts.push(
      `With ${cores} core${cores === 1 ? "" : "s"} the workers cannot run at once, so the core count caps every ` +
        "speedup at ×1 before the lock does: this machine cannot show the lock's ceiling.",
    );
  } else if (gain(small) < 0.75 * (hi / lo)) {
    parts.push(
      `The empty critical section gained only ×${gain(small).toFixed(2)} of a possible ×${hi / lo}: the workers ` +
        "did not get the cores to themselves (other programs were probably running), so this run cannot tell the " +
        "lock's ceiling from the machine's load. Run the cell again when the machine is quieter.",
    );
  } else if (ceiling < hi / lo && gain(big) <= ceiling * 1.1 && gain(big) < gain(small) - 0.15) {
    parts.push(
      `The empty section came close to the ×${hi / lo} the cores allow; the big one stayed at or below the lock's ` +
        `ceiling ×${ceiling.toFixed(2)} (bound min(cores, 1 ÷ f) = ×${bound.toFixed(2)}): its work runs one ` +
        "worker at a time, whatever the core count.",
    );
  } else {
    parts.push(
      `The big critical section gained ×${gain(big).toFixed(2)}, which does not show the ceiling ` +
        `×${ceiling.toFixed(2)} clearly (timing noise, or the lock's hand-overs cost more than the model counts). ` +
        "Run the cell again.",
    );
  }
  return parts.join(" ");
}

/** What Peterson's lock did on real workers, plain vs Atomics accesses to its flags (numbers from `rows`). */
export function petersonReport(rows: readonly PetersonRow[]): string {
  checkRows(
    LockInputError,
    "the rows given to petersonReport",
    rows,
    [],
    "pass a list of PetersonRow rows, as in the chapter",
  );
  const plain = rows.filter((r) => r.mode === "plain");
  const atomic = rows.filter((r) => r.mode === "atomic");
  const sum = (rs: readonly PetersonRow[], k: "lost" | "expected") => rs.reduce((a, r) => a + r[k], 0);
  const parts: string[] = [];
  if (plain.length > 0) {
    const bad = plain.filter((r) => r.lost > 0).length;
    parts.push(
      bad > 0
        ? `With plain accesses, **${bad}** of ${plain.length} runs lost increments (**${n(sum(plain, "lost"))}** of ` +
            `${n(sum(plain, "expected"))} in all): both workers were inside the lock at the same time. The proof ` +
            "above assumed a sequentially consistent memory, and this machine does not give one."
        : `With plain accesses no run lost an increment this time. That proves nothing: the overlap needs both ` +
            "workers on two cores at the same moment, which a busy machine rarely gives; run the cell again.",
    );
  }
  if (atomic.length > 0) {
    const lost = sum(atomic, "lost");
    parts.push(
      `With Atomics: **${n(lost)}** increments lost in ${atomic.length} runs` +
        (lost === 0 ? " — exact, as the proof promises once every access to the flags is ordered." : "."),
    );
  }
  return parts.join(" ");
}
