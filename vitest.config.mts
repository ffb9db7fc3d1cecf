import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["notebooks/**", "node_modules/**", "site/**"],
    testTimeout: 60_000,
  },
});
