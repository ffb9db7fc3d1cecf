// Shared helpers of the real-experiment tests: leak checks through the tracker and process.getActiveResourcesInfo().
import * as fs from "node:fs";
import { expect } from "vitest";
import { liveRealResources } from "../../lib/real/index";

/** Counts of active libuv resources by type, plus the OS threads of this process (Linux) as `osThreads`. */
export function activeResourceCounts(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of process.getActiveResourcesInfo()) out[t] = (out[t] ?? 0) + 1;
  // Worker threads do not appear in getActiveResourcesInfo; a leaked worker still shows as an OS thread.
  const threads = osThreads();
  if (threads !== null) out.osThreads = threads;
  return out;
}

function osThreads(): number | null {
  try {
    const m = /^Threads:\s+(\d+)/m.exec(fs.readFileSync("/proc/self/status", "utf8"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

// libuv's thread pool (4 threads) may start lazily during a test: allow that much growth.
const THREAD_SLACK = 4;

/** Asserts nothing this module started is still alive, and no resource type grew since `before`. */
export async function expectNoLeaks(before: Record<string, number>): Promise<void> {
  expect(liveRealResources()).toEqual({ workers: 0, children: 0, servers: 0, sockets: 0, timers: 0 });
  // closed handles leave the list on a later tick
  let after = activeResourceCounts();
  for (let i = 0; i < 20 && grew(before, after).length > 0; i++) {
    await new Promise((r) => setTimeout(r, 10));
    after = activeResourceCounts();
  }
  expect(grew(before, after)).toEqual([]);
}

function grew(before: Record<string, number>, after: Record<string, number>): string[] {
  return Object.keys(after)
    .filter((k) => after[k] > (before[k] ?? 0) + (k === "osThreads" ? THREAD_SLACK : 0))
    .map((k) => `${k}: ${before[k] ?? 0} -> ${after[k]}`);
}
