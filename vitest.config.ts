import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname) } },
  test: {
    // The demo repository's source is data served by the GitHub sandbox; its tests are not ours.
    exclude: [...configDefaults.exclude, "devstack/demo-repo/source/**"],
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node" },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts", "supabase/tests/**/*.test.ts"],
          environment: "node",
          // One devstack is shared by every file; run files one at a time on 2 cores.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
