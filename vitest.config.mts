import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["notebooks/**", "node_modules/**", "site/**"],
    testTimeout: 60_000,
    // One file at a time: real-machine tests (workers, timers, event-loop order vs real Node) must not compete for
    // the two cores with each other; it costs a few seconds and removes load-induced flakiness.
    fileParallelism: false,
  },
});
