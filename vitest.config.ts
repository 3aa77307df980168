import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

// The demo repository's source is data served by the GitHub sandbox; its tests are not ours.
const exclude = [...configDefaults.exclude, "devstack/demo-repo/source/**"];

/** Integration-style projects share one devstack: files run one at a time on 2 cores. */
const serial = {
  environment: "node" as const,
  fileParallelism: false,
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname) } },
  test: {
    exclude,
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
          // The app's HTTP tests need `next start`: they are the "app" project.
          exclude: [...exclude, "tests/integration/app/**"],
          ...serial,
        },
      },
      {
        extends: true,
        test: { name: "app", include: ["tests/integration/app/**/*.test.ts"], ...serial },
      },
    ],
  },
});
