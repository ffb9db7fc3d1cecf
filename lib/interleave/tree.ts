/**
 * The tree of interleavings of a tiny program: one node per schedule prefix, one leaf per complete schedule.
 * Unlike explore it does not merge equal states, so it grows as fast as the number of schedules: for drawing only.
 */
import { checkOptions } from "../errors/validate";
import { InterleaveFigureError, InterleaveOptionError } from "./errors";
import { InterleaveMachine } from "./machine";
import type { InterleaveProgram } from "./program";
import { formatSchedule } from "./schedule";

export interface InterleaveTreeNode {
  id: number;
  /** Parent node id (-1 for the root). */
  parent: number;
  /** Number of steps taken (0 at the root). */
  depth: number;
  /** Thread (0-based) that took the last step, -1 at the root. */
  thread: number;
  /** Text of the last step. */
  text: string;
  /** Thread (0-based) the last step, a signal with several sleepers, chose to wake; -1 otherwise. */
  wake: number;
  /** Schedule prefix that leads here ("1 2 1"). */
  schedule: string;
  /** Outcome key at a leaf, "cut" when maxDepth stopped it, null at inner nodes. */
  outcome: string | null;
  /** Horizontal position: leaves 0, 1, 2, ...; an inner node sits at the mean of its children. */
  x: number;
}

export interface InterleaveTree {
  threadNames: string[];
  nodes: InterleaveTreeNode[];
  leaves: number;
  outcomes: string[];
}

/**
 * Enumerates every schedule as a tree (tiny programs: at most maxLeaves leaves, default 500; maxDepth steps, default
 * 60).
 */
export function interleavingTree(
  program: InterleaveProgram,
  options: { maxLeaves?: number; maxDepth?: number } = {},
): InterleaveTree {
  checkOptions(InterleaveOptionError, "the options object of interleavingTree", options, ["maxLeaves", "maxDepth"]);
  const maxLeaves = options.maxLeaves ?? 500;
  const maxDepth = options.maxDepth ?? 60;
  for (const [k, v] of [
    ["maxLeaves", maxLeaves],
    ["maxDepth", maxDepth],
  ] as const) {
    if (!Number.isInteger(v) || v < 1)
      throw new InterleaveOptionError(`Expected \`${k}\` to be an integer ≥ 1, got ${v}.`);
  }
  const m = new InterleaveMachine(program);
  const nodes: InterleaveTreeNode[] = [];
  const outcomes: string[] = [];
  let leaves = 0;
  const path: number[] = [];
  const wakes: number[] = [];
  const sleepers: number[] = [];
  // Explicit stack of [state, node id, next thread to try, next sleeper to wake when that thread signals].
  const stack: { v: Int32Array; id: number; next: number; nextWake: number; kids: number[] }[] = [];
  const open = (v: Int32Array, parent: number, thread: number, text: string, wake: number) => {
    const id = nodes.length;
    const schedule = formatSchedule(path, wakes);
    nodes.push({ id, parent, depth: path.length, thread, text, wake, schedule, outcome: null, x: 0 });
    stack.push({ v, id, next: 0, nextWake: 0, kids: [] });
  };
  open(m.initial(), -1, -1, "start", -1);
  while (stack.length > 0) {
    const f = stack[stack.length - 1];
    let t = f.next;
    while (t < m.nThreads && !m.canRun(f.v, t)) t++;
    if (t < m.nThreads && path.length < maxDepth) {
      // A signal with several sleepers: one child per sleeper it may wake.
      const n = m.signalWaiters(f.v, t, sleepers);
      let wake = -1;
      if (n >= 2) {
        wake = sleepers[f.nextWake];
        f.nextWake++;
        if (f.nextWake === n) {
          f.next = t + 1;
          f.nextWake = 0;
        } else f.next = t;
      } else f.next = t + 1;
      const nv = new Int32Array(f.v.length);
      const text = m.nextText(f.v, t);
      m.step(f.v, t, nv, wake);
      path.push(t);
      wakes.push(wake);
      open(nv, f.id, t, text, wake);
      continue;
    }
    const node = nodes[f.id];
    if (f.kids.length === 0) {
      if (leaves >= maxLeaves) {
        throw new InterleaveFigureError(
          `The interleaving tree has more than maxLeaves = ${maxLeaves} leaves: draw it for a smaller program (e.g. counterRace(2, 1) has 20) or raise \`maxLeaves\`.`,
        );
      }
      const anyRunnable = m.names.some((_, u) => m.canRun(f.v, u));
      node.outcome = anyRunnable ? "cut" : m.outcome(f.v).key;
      if (!outcomes.includes(node.outcome)) outcomes.push(node.outcome);
      node.x = leaves++;
    } else node.x = f.kids.reduce((s, k) => s + nodes[k].x, 0) / f.kids.length;
    stack.pop();
    path.pop();
    wakes.pop();
    if (stack.length > 0) stack[stack.length - 1].kids.push(f.id);
  }
  return { threadNames: m.names.slice(), nodes, leaves, outcomes };
}
