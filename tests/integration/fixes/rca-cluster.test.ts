import { readFileSync } from "node:fs";
import path from "node:path";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getJson, runsOf, serveApp, syncApp, waitFor } from "@/scripts/lib/inngest-harness";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import {
  type ConnectedWorkspace,
  connectedWorkspace,
  releaseSharedSandboxAccounts,
  startIntake,
  usePipelineEnv,
} from "@/tests/integration/pipeline/fixtures";
import { control } from "@/tests/integration/sandboxes/helpers";

vi.mock("server-only", () => ({}));

/**
 * The cluster rule of the customer RCA through the pipeline: the same report arrives from four
 * customers through the Zendesk sandbox's signed webhooks, the devstack executor runs
 * `process-ticket`, which joins tickets two to four to the bug the first made (duplicate
 * detection). The bug is low severity with a merged fix, so only the cluster qualifies it: the
 * third ticket (the workspace's minimum, 3) asks `draft-rca` once, and the RCA says three
 * customers reported it. The fourth ticket and the third processed again ask nothing more.
 */

interface DemoTicket {
  id: string;
  subject: string;
  body: string;
}
const demo = JSON.parse(
  readFileSync(path.resolve(__dirname, "../../../devstack/demo-repo/tickets.json"), "utf8"),
) as { tickets: DemoTicket[] };
const blender = demo.tickets.find((t) => t.id === "recommends-blender-already-bought");
if (!blender) throw new Error("no demo ticket recommends-blender-already-bought");

const APP_ID = "rca-cluster-test";
const executorUrl = () => devstackEnv().INNGEST_BASE_URL;
let app: Awaited<ReturnType<typeof serveApp>>;
let intake: Awaited<ReturnType<typeof startIntake>>;
let inngest: Inngest;
let events: typeof import("@/inngest/events");
let ws: ConnectedWorkspace;
let bugId = "";
const ticketIds: string[] = [];

const draftRuns = async () =>
  (await runsOf(executorUrl(), `${APP_ID}-draft-rca`)).filter(
    (r) =>
      (r.output as { drafted?: Record<string, string> } | null)?.drafted?.[bugId] !== undefined,
  );
const processRuns = () => runsOf(executorUrl(), `${APP_ID}-process-ticket`);
const settled = (fn: string) =>
  waitFor(
    async () =>
      (await runsOf(executorUrl(), `${APP_ID}-${fn}`)).every((r) =>
        ["completed", "failed", "cancelled", "skipped"].includes(r.status),
      ),
    30_000,
    `${fn} runs settled`,
  );

/** A customer writes in through the Zendesk sandbox; resolves with the processed ticket's id. */
async function report(n: number): Promise<string> {
  const made = await control<{ ticket: { id: number } }>("POST", "/zendesk/tickets", {
    subdomain: ws.subdomain,
    subject: blender?.subject,
    body: blender?.body,
    requester: { name: `Customer ${n}`, email: `customer${n}@shop.example` },
  });
  expect(made.status).toBe(201);
  const ticket = await waitFor(
    async () => {
      const [row] = await asSuperuser<{ id: string; status: string }>(
        `select id, status from public.tickets
          where organization_id = $1 and provider = 'zendesk' and external_id = $2`,
        [ws.organizationId, String(made.json.ticket.id)],
      );
      return row && row.status !== "received" ? row : undefined;
    },
    45_000,
    `ticket ${n} processed`,
  );
  ticketIds.push(ticket.id);
  // the run ends just after its last step: wait for it (the cluster step comes after persisting)
  await settled("process-ticket");
  return ticket.id;
}

async function rca() {
  const [row] = await asSuperuser<{ status: string; sections: Record<string, string> }>(
    "select status, sections from public.rcas where bug_id = $1",
    [bugId],
  );
  return row;
}

beforeAll(async () => {
  usePipelineEnv();
  (await import("@/lib/env")).resetEnvCacheForTests();
  events = await import("@/inngest/events");
  inngest = new Inngest({ id: APP_ID, isDev: true, baseUrl: executorUrl() });
  const [ingest, processing, indexing, drafting] = await Promise.all([
    import("@/inngest/functions/ingest-support-ticket"),
    import("@/inngest/functions/process-ticket"),
    import("@/inngest/functions/index-repository"),
    import("@/inngest/functions/draft-rca"),
  ]);
  app = await serveApp(inngest, [
    ingest.defineIngestSupportTicket(inngest),
    processing.defineProcessTicket(inngest),
    indexing.defineIndexRepository(inngest),
    drafting.defineDraftRca(inngest),
  ]);
  await syncApp(executorUrl(), app.url);
  const { handleWebhook } = await import("@/lib/webhooks/intake");
  intake = await startIntake((provider, request) => handleWebhook(provider, request));
  ws = await connectedWorkspace("cluster", intake.url("zendesk"));
  // the workspace's minimum, as its settings form saves it
  await asSuperuser(
    "insert into public.fix_settings (organization_id, rca_min_cluster_size) values ($1, 3)",
    [ws.organizationId],
  );
  await inngest.send(
    events.repositorySelected.create({
      organizationId: ws.organizationId,
      repositoryId: ws.repositoryId,
    }),
  );
  await waitFor(
    async () =>
      (
        await asSuperuser<{ status: string }>(
          "select status from public.code_indexes where repository_id = $1 and status = 'ready'",
          [ws.repositoryId],
        )
      ).length > 0,
    90_000,
    "the demo repository indexed",
  );
}, 180_000);

afterAll(async () => {
  await releaseSharedSandboxAccounts();
  await intake?.close();
  await app?.close();
  await closeDb();
});

describe("a bug's linked-ticket cluster reaching the minimum drafts its RCA", () => {
  it("the first report makes a bug; its fix merges; below both rules nothing is drafted", async () => {
    const first = await report(1);
    const [link] = await asSuperuser<{ bug_id: string; severity: string; status: string }>(
      `select bt.bug_id, b.severity, b.status from public.bug_tickets bt
         join public.bugs b on b.id = bt.bug_id where bt.ticket_id = $1`,
      [first],
    );
    expect(link?.status).toBe("mapped");
    bugId = link?.bug_id ?? "";
    // only the cluster may qualify it: not critical or high, and its fix merged
    await asSuperuser("update public.bugs set severity = 'low' where id = $1", [bugId]);
    await asSuperuser(
      `insert into public.pull_requests
         (organization_id, bug_id, repository_id, number, url, origin, state, merge_sha, merged_at)
       values ($1, $2, $3, 12, 'https://github.com/acme/storefront/pull/12', 'linked', 'merged',
         'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', now())`,
      [ws.organizationId, bugId, ws.repositoryId],
    );
    await report(2);
    const cluster = await asSuperuser<{ link_reason: string }>(
      "select link_reason from public.bug_tickets where bug_id = $1 order by linked_at",
      [bugId],
    );
    expect(cluster.map((c) => c.link_reason)).toEqual(["created", "duplicate"]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await draftRuns()).toHaveLength(0);
    expect(await rca()).toBeUndefined();
  }, 180_000);

  it("the third report reaches the minimum: one draft request, the RCA counts three customers", async () => {
    await report(3);
    const drafted = await waitFor(
      async () => {
        const runs = (await draftRuns()).filter((r) => r.status === "completed");
        return runs.length ? runs : undefined;
      },
      30_000,
      "draft-rca run",
    );
    expect(drafted).toHaveLength(1);
    expect(drafted[0]?.output).toMatchObject({ drafted: { [bugId]: "drafted" } });
    const row = await rca();
    expect(row?.status).toBe("draft");
    expect(row?.sections.customer_impact).toContain("3 customers reported it.");
  }, 90_000);

  it("a fourth report, and the third processed again, ask for nothing more", async () => {
    await report(4);
    const third = ticketIds[2] ?? "";
    const before = (await processRuns()).length;
    await inngest.send(
      events.ticketReceived.create({
        organizationId: ws.organizationId,
        ticketId: third,
        cause: "reprocess",
      }),
    );
    await waitFor(
      async () => (await processRuns()).length > before,
      30_000,
      "the third ticket processed again",
    );
    await settled("process-ticket");
    await new Promise((r) => setTimeout(r, 1500));
    await settled("draft-rca");
    expect(await draftRuns()).toHaveLength(1);
    const [count] = await asSuperuser<{ n: number }>(
      "select count(*)::int as n from public.bug_tickets where bug_id = $1",
      [bugId],
    );
    expect(count?.n).toBe(4);
    // one draft request for the bug: the third ticket's, made again when it was processed again
    // and dropped by its id
    const asked = (
      await getJson<Array<{ id: string; data: { bugId?: string } }>>(
        `${executorUrl()}/v1/events?name=${encodeURIComponent("rca/draft.requested")}&limit=1000`,
      )
    ).filter((e) => e.data.bugId === bugId);
    expect(asked).toHaveLength(1);
  }, 90_000);
});
