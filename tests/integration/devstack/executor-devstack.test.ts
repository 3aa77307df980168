import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveApp, syncApp, waitForRun } from "../../../scripts/lib/inngest-harness";
import { devstackEnv } from "../../helpers/devstack-env";

/**
 * The executor `npm run devstack` starts, reached the way the app reaches it: through the
 * INNGEST_DEV / INNGEST_BASE_URL facts in `<DEVSTACK_HOME>/env`.
 */

let app: Awaited<ReturnType<typeof serveApp>>;
let inngest: Inngest;
let baseUrl: string;
// A fixed id: each run of this test replaces the previous probe app in the devstack's executor.
const appId = "devstack-probe";

beforeAll(async () => {
  const env = devstackEnv();
  baseUrl = env.INNGEST_BASE_URL;
  expect(env.INNGEST_DEV).toBeTruthy();
  inngest = new Inngest({ id: appId, isDev: true, baseUrl });
  const fn = inngest.createFunction(
    { id: "probe", triggers: [{ event: `${appId}/probe.requested` }] },
    async ({ event, step }) => {
      const n = await step.run("add", () => (event.data as { n: number }).n + 1);
      await step.sleep("nap", "1s");
      return step.run("double", () => n * 2);
    },
  );
  app = await serveApp(inngest, [fn]);
});

afterAll(async () => {
  await app?.close();
});

describe("the devstack's executor", () => {
  it("is up where .devstack/env says", async () => {
    const res = await fetch(`${baseUrl}/health`);
    expect(await res.json()).toEqual({ ok: true });
  });

  it("syncs an app and runs its function to completion, sleep included", async () => {
    await syncApp(baseUrl, app.url);
    const { ids } = await inngest.send({ name: `${appId}/probe.requested`, data: { n: 20 } });
    const run = await waitForRun(baseUrl, `${appId}-probe`, ids[0] as string, 20_000);
    expect(run.status).toBe("completed");
    expect(run.output).toBe(42);
  });
});
