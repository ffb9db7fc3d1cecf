import { describe, expect, it } from "vitest";
import { STATE_COLORS, seriesColor } from "../../lib/plot/figure";
import { schedGantt } from "../../lib/plot/gantt";
import { policyComparisonChart, schedTaskMetricsChart, schedUtilisationChart } from "../../lib/plot/sched";
import { comparePolicies, randomTasks, runSchedule, sched } from "../../lib/sched/index";

const { task, cpu, io } = sched;
const small = runSchedule({
  policy: "RR",
  quantum: 2,
  machine: { cores: 2, switchCost: 0.5, devices: { disk: 1 } },
  tasks: [
    task("A", [cpu(3), io(4, "disk"), cpu(2)]),
    task("B", [cpu(5)]),
    task("C", [cpu(1), io(2, "disk"), cpu(1)], { arrival: 1 }),
  ],
});

describe("schedGantt", () => {
  it("tasks × time: horizontal bars with base, one trace per state, no shapes, no per-bar text", () => {
    const f = schedGantt(small);
    expect(f.layout.shapes).toBeUndefined();
    for (const t of f.data) {
      expect(t.type).toBe("bar");
      expect(t.orientation).toBe("h");
      expect((t as any).base.length).toBe((t.x as number[]).length);
      expect((t as any).text).toBeUndefined();
      expect(t.hovertemplate).toContain("ticks");
    }
    const names = f.data.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    const running = f.data.find((t) => t.name === "running")!;
    expect((running.marker as any).color).toBe(STATE_COLORS.running);
    // Total bar length of each state equals the time tasks spent in it.
    const total = (running.x as number[]).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(
      small.tasks.reduce((a, t) => a + t.cpu, 0),
      9,
    );
    expect((f.layout.yaxis as any).categoryarray).toEqual(["C", "B", "A"]);
    expect((f.layout.xaxis as any).title.text).toBe("time (ticks)");
    expect((f.layout.title as any).text).toContain("RR");
    expect(JSON.parse(JSON.stringify(f))).toEqual(f); // plain JSON: no bigint, NaN or Infinity lost on the way
  });

  it("cores × time: one colour per task, switching in grey", () => {
    const f = schedGantt(small, { by: "core" });
    expect(f.data.map((t) => t.name)).toEqual(["switching", "A", "B", "C"]);
    expect((f.data[1].marker as any).color).toBe(seriesColor(0));
    expect((f.layout.yaxis as any).categoryarray).toEqual(["core 2", "core 1"]);
    const busy = f.data.flatMap((t) => t.x as number[]).reduce((a, b) => a + b, 0);
    expect(busy).toBeCloseTo(
      small.cores.reduce((a, c) => a + c.running + c.switching, 0),
      9,
    );
  });

  it("merges touching intervals of one task on one core", () => {
    const r = runSchedule({ policy: "RR", quantum: 1, tasks: [task("solo", [cpu(10)])] });
    const f = schedGantt(r, { by: "core", color: "state" });
    expect(f.data).toHaveLength(1);
    expect(f.data[0].x).toEqual([10]);
  });

  it("stays a handful of traces at 10,000+ segments", () => {
    const tasks = randomTasks({ count: 1500, seed: 3, maxArrival: 3000, maxBursts: 4, ioChance: 0.7 });
    const r = runSchedule({ policy: "RR", quantum: 1, tasks, machine: { cores: 4, switchCost: 0.1 } });
    expect(r.trace.length).toBeGreaterThan(10000);
    for (const by of ["task", "core"] as const) {
      const f = schedGantt(r, { by });
      expect(f.data.length).toBeLessThanOrEqual(5);
      expect(f.layout.height).toBeLessThanOrEqual(1200);
    }
  });
});

describe("summary charts", () => {
  it("utilisation: stacked percentages per core and device add up to 100", () => {
    const f = schedUtilisationChart(small);
    expect(f.data.map((t) => t.name)).toEqual(["running", "switching", "IO busy", "idle"]);
    expect(f.data[0].x).toEqual(["core 1", "core 2", "disk (IO)"]);
    for (let i = 0; i < 3; i++) expect(f.data.reduce((a, t) => a + (t.y as number[])[i], 0)).toBeCloseTo(100, 0);
    expect(f.layout.barmode).toBe("stack");
  });

  it("policy comparison: grouped bars of the averages", () => {
    const tasks = [task("A", [cpu(5)]), task("B", [cpu(3)]), task("C", [cpu(8)])];
    const results = comparePolicies({ tasks, quantum: 2 }, ["FIFO", "SJF", "RR"]);
    const f = policyComparisonChart(results);
    expect(f.layout.barmode).toBe("group");
    expect(f.data[0].x).toEqual(["FIFO", "SJF", "RR"]);
    expect(f.data.map((t) => t.name)).toEqual(["average response", "average turnaround", "average wait"]);
    expect(f.data[1].y).toEqual([9.667, 9, 12.333]);
  });

  it("per-task metrics chart", () => {
    const f = schedTaskMetricsChart(small);
    expect(f.data).toHaveLength(3);
    expect(f.data[0].x).toEqual(["A", "B", "C"]);
  });
});
