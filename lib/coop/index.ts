/** lib/coop — chapter 07's experiments joining the event-loop model (lib/eventloop) and the scheduler (lib/sched). */
export * from "./scenarios";
export * from "./exercises";
