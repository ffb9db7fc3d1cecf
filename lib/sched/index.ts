/**
 * lib/sched — CPU scheduling on a simulated machine. Time is in ticks (read them as milliseconds).
 *
 *   const { task, cpu, io, lock, unlock } = sched;
 *   const r = runSchedule({ policy: "RR", quantum: 2, machine: { cores: 1 },
 *                           tasks: [task("A", [cpu(3), io(5), cpu(2)]), task("B", [cpu(4)])] });
 *   r.tasks[0].turnaround, r.cores[0].utilisation, r.trace   // → ganttFigure(r)
 */
import { cpuSeg, ioSeg, lockSeg, repeatSegs, schedMachine, schedTask, unlockSeg, yieldSeg } from "./builders";
import { runSchedule } from "./engine";
import { runJobs } from "./jobs";
import { comparePolicies, randomTasks } from "./workload";

export { cpuSeg, ioSeg, lockSeg, repeatSegs, schedMachine, schedTask, unlockSeg, yieldSeg } from "./builders";
// scheduleMakespan (internal): runSchedule's makespan without building the trace, for chapter 08's sweeps
export { runSchedule, type SchedOptions, scheduleMakespan } from "./engine";
export { SchedInputError } from "./errors";
export { type JobResult, type RunJobsOptions, type RunJobsResult, runJobs } from "./jobs";
export {
  cooperativePolicy,
  fifoPolicy,
  makePolicy,
  mlfqPolicy,
  POLICIES,
  type PolicyName,
  priorityPolicy,
  rrPolicy,
  type SchedPolicyOptions,
  sjfPolicy,
  stcfPolicy,
} from "./policies/index";
export * from "./types";
export { comparePolicies, type RandomTasksOptions, randomTasks } from "./workload";

/** Short names for notebooks: `const { task, cpu, io, lock, unlock, yieldCpu } = sched;`. */
export const sched = {
  task: schedTask,
  cpu: cpuSeg,
  io: ioSeg,
  lock: lockSeg,
  unlock: unlockSeg,
  yieldCpu: yieldSeg,
  repeat: repeatSegs,
  machine: schedMachine,
  run: runSchedule,
  jobs: runJobs,
  randomTasks,
  compare: comparePolicies,
} as const;
