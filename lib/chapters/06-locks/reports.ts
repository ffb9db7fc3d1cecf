/**
 * Chapter 06's sentence about the real lock-contention measurement, built from the numbers just measured (real
 * timings vary: never typed by hand). Pure: results in, markdown out.
 */
import type { LockContentionRow, PetersonRow } from "../../real/index";

const n = (x: number) => x.toLocaleString("en-US");

/**
 * How throughput changed with workers, with an empty and with the largest critical section; `cores` = cores available.
 */
export function lockContentionReport(rows: LockContentionRow[], cores: number): string {
  const sizes = Array.from(new Set(rows.map((r) => r.criticalIterations))).sort((a, b) => a - b);
  const workers = Array.from(new Set(rows.map((r) => r.workers))).sort((a, b) => a - b);
  const lo = workers[0];
  const hi = workers[workers.length - 1];
  const rate = (w: number, c: number) =>
    rows.find((r) => r.workers === w && r.criticalIterations === c)?.opsPerSecond ?? NaN;
  const gain = (c: number) => rate(hi, c) / rate(lo, c);
  const small = sizes[0];
  const big = sizes[sizes.length - 1];
  const parts = [
    `On this machine (${cores} cores available): going from ${lo} to ${hi} workers changed total throughput by **×${gain(small).toFixed(2)}** with ${small === 0 ? "an empty critical section" : `${n(small)} iterations inside the lock`}, ` +
      `and by **×${gain(big).toFixed(2)}** with ${n(big)} iterations inside it. Every run counted exactly: **${rows.every((r) => r.exact)}**.`,
  ];
  if (gain(small) < Math.min(1.3, Math.min(hi, cores) * 0.6)) {
    parts.push(
      "Even the nearly lock-free case barely gained here: the cores were busy with other work, or passing the lock's cache line between cores cost as much as the work — so this run cannot show the difference clearly. Run the cell again on a quiet machine.",
    );
  } else if (gain(big) < gain(small)) {
    parts.push(`As the model predicts, the big critical section gains less: its work runs one worker at a time.`);
  } else {
    parts.push(
      "Here the big critical section gained as much as the small one — timing noise larger than the effect. Run the cell again.",
    );
  }
  return parts.join(" ");
}

/** What Peterson's lock did on real workers, plain vs Atomics accesses to its flags (numbers from `rows`). */
export function petersonReport(rows: readonly PetersonRow[]): string {
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
