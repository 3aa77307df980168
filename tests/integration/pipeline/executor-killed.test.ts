import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { freshDatabase, runsOf, serveApp, syncApp, waitFor } from "@/scripts/lib/inngest-harness";
import { resendSweepNudge } from "@/scripts/lib/webhook-fixtures";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";
import {
  freePort,
  killExecutorChild,
  startExecutorChild,
} from "@/tests/integration/devstack/fixtures/executor-child";
import { control } from "@/tests/integration/sandboxes/helpers";
import {
  type ConnectedWorkspace,
  connectedWorkspace,
  releaseSharedSandboxAccounts,
  startIntake,
  usePipelineEnv,
} from "./fixtures";

vi.mock("server-only", () => ({}));

/**
 * Issue 14, "with the executor killed and restarted mid-chain (nothing lost, nothing counted
 * twice)". The executor runs in a process of its own (the devstack's executor code, started as
 * tests/integration/devstack/fixtures/inngest-executor-process.ts starts it, on a database of its
 * own), serving the app's own functions on the app's own client: intake's consumer, the ticket
 * ingest, process-ticket, the index job and the pending-delivery re-send cron. Signed Zendesk
 * sandbox webhooks go to the real intake; the executor is SIGKILLed while the first wave is
 * mid-way, a second wave arrives while it is dead (intake records them, the event send fails,
 * they stay pending), and a new executor process takes over the same database.
 */

interface DemoTicket {
  id: string;
  subject: string;
  body: string;
  requester: { name: string; email: string };
}
const demo = JSON.parse(
  readFileSync(path.resolve(__dirname, "../../../devstack/demo-repo/tickets.json"), "utf8"),
) as { tickets: DemoTicket[] };
const demoTicket = (id: string) => {
  const t = demo.tickets.find((x) => x.id === id);
  if (!t) throw new Error(`no demo ticket ${id}`);
  return t;
};

/** A ticket to send and the cluster it belongs to (tickets of one cluster make one bug). */
interface Planned {
  cluster: string;
  subject: string;
  body: string;
  requester: { name: string; email: string };
}
const asFrom = (t: DemoTicket, cluster: string, who?: Planned["requester"]): Planned => ({
  cluster,
  subject: t.subject,
  body: t.body,
  requester: who ?? t.requester,
});
const blender = demoTicket("recommends-blender-already-bought");
const accents = demoTicket("search-ignores-accents");
const lantern = demoTicket("last-lantern-sold-twice");
const refund: Planned = {
  cluster: "noise",
  subject: "Refund for my last invoice",
  body: "Hi, I was charged twice for my subscription this month. Can you refund the second charge to my card? Thanks.",
  requester: { name: "Robin Refund", email: "robin@customer.example" },
};
// the first wave is in flight when the executor dies; the second arrives while it is dead
const WAVE_ONE: Planned[] = [
  asFrom(blender, "blender"),
  asFrom(accents, "accents"),
  refund,
  asFrom(blender, "blender", { name: "Jo Second", email: "jo@customer.example" }),
];
const WAVE_TWO: Planned[] = [
  asFrom(lantern, "lantern"),
  asFrom(accents, "accents", { name: "Kim Third", email: "kim@customer.example" }),
];

let child: ChildProcess | undefined;
let executorDb: Awaited<ReturnType<typeof freshDatabase>>;
let executorUrl = "";
let port = 0;
let app: Awaited<ReturnType<typeof serveApp>>;
let intake: Awaited<ReturnType<typeof startIntake>>;
let ws: ConnectedWorkspace;

/** The executor in a process of its own, on its database; resolves when it listens. */
async function startExecutorProcess(): Promise<void> {
  child = await startExecutorChild(executorDb.url, port, 30_000);
}

async function killExecutorProcess(): Promise<void> {
  await killExecutorChild(child);
  child = undefined;
}

beforeAll(async () => {
  usePipelineEnv();
  executorDb = await freshDatabase();
  port = await freePort();
  executorUrl = `http://127.0.0.1:${port}`;
  // the app's Inngest client (and intake's sends through it) talk to this test's executor
  process.env.INNGEST_BASE_URL = executorUrl;
  process.env.INNGEST_DEV = executorUrl;
  (await import("@/lib/env")).resetEnvCacheForTests();
  await startExecutorProcess();
  const { inngest } = await import("@/inngest/client");
  const fns = await Promise.all([
    import("@/inngest/functions/process-webhook-delivery"),
    import("@/inngest/functions/ingest-support-ticket"),
    import("@/inngest/functions/process-ticket"),
    import("@/inngest/functions/index-repository"),
    import("@/inngest/functions/resend-pending-webhook-deliveries"),
  ]);
  app = await serveApp(inngest, [
    fns[0].processWebhookDelivery,
    fns[1].ingestSupportTicket,
    fns[2].processTicket,
    fns[3].indexRepositoryFunction,
    fns[4].resendPendingWebhookDeliveries,
  ]);
  await syncApp(executorUrl, app.url);
  const { handleWebhook } = await import("@/lib/webhooks/intake");
  intake = await startIntake((provider, request) => handleWebhook(provider, request));
  ws = await connectedWorkspace("killed", intake.url("zendesk"));
  const events = await import("@/inngest/events");
  await inngest.send(
    events.repositorySelected.create({
      organizationId: ws.organizationId,
      repositoryId: ws.repositoryId,
    }),
  );
  await waitFor(
    async () => {
      const [row] = await asSuperuser<{ status: string }>(
        "select status from public.code_indexes where repository_id = $1",
        [ws.repositoryId],
      );
      return row?.status === "ready";
    },
    90_000,
    "the demo repository indexed",
  );
}, 180_000);

afterAll(async () => {
  await killExecutorProcess();
  await releaseSharedSandboxAccounts();
  await intake?.close();
  await app?.close();
  await executorDb?.drop();
  await closeDb();
});

async function send(t: Planned): Promise<string> {
  const made = await control<{ ticket: { id: number }; deliveries: Array<{ id: string }> }>(
    "POST",
    "/zendesk/tickets",
    { subdomain: ws.subdomain, subject: t.subject, body: t.body, requester: t.requester },
  );
  expect(made.status).toBe(201);
  expect(made.json.deliveries).toHaveLength(1);
  return String(made.json.ticket.id);
}

interface TicketRow {
  external_id: string;
  status: string;
}
const ticketsOf = () =>
  asSuperuser<TicketRow>(
    `select external_id, status from public.tickets
      where organization_id = $1 and provider = 'zendesk'`,
    [ws.organizationId],
  );
const processed = (rows: TicketRow[]) =>
  rows.filter((r) => r.status !== "received" && r.status !== "processing");

describe("the chain survives its executor being killed mid-way", () => {
  it("processes every ticket, one bug per cluster, billed once, no delivery left pending", async () => {
    const sent: Array<{ externalId: string; cluster: string }> = [];
    for (const t of WAVE_ONE) sent.push({ externalId: await send(t), cluster: t.cluster });
    // mid-way: the first ticket of the wave is through the chain, the others are not yet
    await waitFor(
      async () => processed(await ticketsOf()).length >= 1,
      30_000,
      "the first ticket processed",
    );
    await killExecutorProcess();
    const atKill = processed(await ticketsOf()).length;
    const billedAtKill = await asSuperuser<{ id: string; billed_at: Date | null }>(
      "select id, billed_at from public.bugs where organization_id = $1",
      [ws.organizationId],
    );

    // the second wave while no executor runs: intake verifies, records and answers 200; the
    // event cannot be sent, so its ledger rows wait as pending for the re-send cron
    const answersBefore = intake.answers.length;
    for (const t of WAVE_TWO) sent.push({ externalId: await send(t), cluster: t.cluster });
    await waitFor(
      () => intake.answers.length >= answersBefore + WAVE_TWO.length,
      15_000,
      "intake answers while the executor is down",
    );
    expect(intake.answers.slice(answersBefore)).toEqual(WAVE_TWO.map(() => 200));
    const [pendingWhileDown] = await asSuperuser<{ n: number }>(
      `select count(*)::int as n from public.webhook_deliveries
        where organization_id = $1 and status = 'pending'`,
      [ws.organizationId],
    );
    expect(pendingWhileDown?.n).toBeGreaterThanOrEqual(WAVE_TWO.length);

    await startExecutorProcess();
    // in-flight runs resume once their lease lapses; pending deliveries are re-sent by the
    // cron (every minute, for rows older than its grace period): its tick is brought forward
    // once the rows are past that grace, so the sweep still does the recovering
    const executorDbClient = new pg.Client({ connectionString: executorDb.url });
    await executorDbClient.connect();
    const hurryResend = resendSweepNudge(executorDbClient, [ws.organizationId]);
    const rows = await waitFor(
      async () => {
        await hurryResend();
        const all = await ticketsOf();
        if (all.length !== sent.length || processed(all).length !== sent.length) return undefined;
        const [open] = await asSuperuser<{ n: number }>(
          `select count(*)::int as n from public.webhook_deliveries
            where organization_id = $1 and status in ('pending', 'sent')`,
          [ws.organizationId],
        );
        return open?.n === 0 ? all : undefined;
      },
      150_000,
      "every ticket and delivery processed after the restart",
    ).finally(() => executorDbClient.end());
    console.log(
      `executor killed with ${atKill} of ${WAVE_ONE.length} tickets processed; ${WAVE_TWO.length} more arrived while it was down; all ${rows.length} processed after the restart`,
    );
    expect(atKill).toBeLessThan(sent.length);

    // every ticket: bugs for the bug clusters, the refund skipped
    const byExternal = new Map(rows.map((r) => [r.external_id, r.status]));
    for (const s of sent) {
      expect(byExternal.get(s.externalId), `ticket ${s.externalId} (${s.cluster})`).toEqual(
        s.cluster === "noise" ? "skipped" : expect.stringMatching(/^(bug|review)$/),
      );
    }

    // one bug per cluster, every ticket of a cluster linked to it
    const links = await asSuperuser<{ external_id: string; bug_id: string }>(
      `select t.external_id, bt.bug_id from public.bug_tickets bt
         join public.tickets t on t.id = bt.ticket_id
        where t.organization_id = $1`,
      [ws.organizationId],
    );
    const bugOfTicket = new Map(links.map((l) => [l.external_id, l.bug_id]));
    const clusters = new Map<string, Set<string>>();
    for (const s of sent) {
      if (s.cluster === "noise") {
        expect(bugOfTicket.has(s.externalId)).toBe(false);
        continue;
      }
      const bugId = bugOfTicket.get(s.externalId);
      expect(bugId, `ticket ${s.externalId} (${s.cluster}) linked to a bug`).toBeDefined();
      const set = clusters.get(s.cluster) ?? new Set<string>();
      set.add(bugId ?? "");
      clusters.set(s.cluster, set);
    }
    for (const [cluster, bugIds] of clusters) expect(bugIds.size, cluster).toBe(1);
    const bugs = await asSuperuser<{ id: string; status: string; billed_at: Date | null }>(
      "select id, status, billed_at from public.bugs where organization_id = $1",
      [ws.organizationId],
    );
    expect(bugs).toHaveLength(clusters.size);

    // billed exactly once: a Mapped Bug has billed_at, a held one has none, and a bug billed
    // before the kill kept the instant it was billed at
    expect(bugs.filter((b) => b.status === "mapped").length).toBeGreaterThan(0);
    for (const b of bugs) {
      expect(b.billed_at !== null, `bug ${b.id} (${b.status})`).toBe(b.status === "mapped");
      const before = billedAtKill.find((x) => x.id === b.id);
      if (before?.billed_at) expect(b.billed_at?.getTime()).toBe(before.billed_at.getTime());
    }

    // nothing left pending: every delivery reached the background side
    const deliveries = await asSuperuser<{ status: string }>(
      "select status from public.webhook_deliveries where organization_id = $1",
      [ws.organizationId],
    );
    expect(deliveries).toHaveLength(sent.length);
    expect(deliveries.map((d) => d.status)).toEqual(sent.map(() => "processed"));

    // and no run of the chain failed
    for (const fn of ["process-ticket", "ingest-support-ticket", "process-webhook-delivery"]) {
      const runs = await runsOf(executorUrl, `patchline-${fn}`);
      expect(
        runs.filter((r) => r.status === "failed").map((r) => r.id),
        fn,
      ).toEqual([]);
    }
  }, 240_000);
});
