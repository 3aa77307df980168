import { rmSync } from "node:fs";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runsOf, serveApp, syncApp, waitFor } from "@/scripts/lib/inngest-harness";
import { asOk, asSuperuser, closeDb } from "@/supabase/tests/helpers/db";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import {
  releaseSharedSandboxAccounts,
  usePipelineEnv,
} from "@/tests/integration/pipeline/fixtures";
import { control } from "@/tests/integration/sandboxes/helpers";
import {
  bugWithMergedPr,
  type FixLoopWorld,
  fixLoopWorld,
  intercomAdminReplies,
  linkedTicket,
  switchToIntercom,
  zendeskComments,
} from "./fixtures";

vi.mock("server-only", () => ({}));

/**
 * Deploy detection and the customer RCA through the sandboxes and the executor. A bug's PR is
 * merged (commit `fix`); production deploys are reported by the GitHub sandbox and their signed
 * deliveries go through the real intake → `github-deployment-status` (Compare API through the
 * GitHub App) → `publish-rca` (drafts offline, needs an owner's approval, posts a Zendesk public
 * comment or an Intercom reply per ticket in its language). A deploy before the merge ships
 * nothing; the same deploy delivered twice posts nothing more; a rollback posts nothing and parks
 * the RCA that was not yet published.
 */

const APP_ID = "fixes-rca-test";
let app: Awaited<ReturnType<typeof serveApp>>;
let inngest: Inngest;
let events: typeof import("@/inngest/events");
let handleWebhook: typeof import("@/lib/webhooks/intake").handleWebhook;
let w: FixLoopWorld;
let bugId: string;
let otherBugId: string;
const tickets: Array<{ ticketId: string; externalId: string; language: string }> = [];
const executorUrl = () => devstackEnv().INNGEST_BASE_URL;

/** A deployment (or a new status on one) reported by the sandbox, delivered to our intake. */
async function deploy(ref: string, opts: { deploymentId?: number; state?: string } = {}) {
  const made = await control<{
    deployment: { id: number };
    deliveries: Array<{ id: string; event: string }>;
  }>("POST", "/github/deployment-status", {
    repo: w.fullName,
    ref,
    environment: "production",
    state: opts.state ?? "success",
    deployment_id: opts.deploymentId,
  });
  expect(made.status).toBe(201);
  const ref_ = made.json.deliveries.find((d) => d.event.startsWith("deployment_status"));
  if (!ref_) throw new Error("no deployment_status delivery");
  const deliveryId = await deliverAgain(ref_.id);
  return { deploymentId: made.json.deployment.id, sandboxDeliveryId: ref_.id, deliveryId };
}

/** Hands the sandbox's exact delivery (same bytes, headers, signature) to the real intake. */
async function deliverAgain(sandboxDeliveryId: string): Promise<string> {
  const got = await control<{ delivery: { body: string; headers: Record<string, string> } }>(
    "GET",
    `/deliveries/${sandboxDeliveryId}`,
  );
  const { body, headers } = got.json.delivery;
  const res = await handleWebhook(
    "github",
    new Request("http://localhost/api/webhooks/github", { method: "POST", headers, body }),
  );
  expect(res.status).toBe(200);
  return headers["x-github-delivery"] ?? "";
}

/** Waits until no run of `fn` is still going (a run ends just after its last step's write). */
const settled = (fn: string) =>
  waitFor(
    async () =>
      (await runsOf(executorUrl(), `${APP_ID}-${fn}`)).every((r) =>
        ["completed", "failed", "cancelled", "skipped"].includes(r.status),
      ),
    30_000,
    `${fn} runs settled`,
  );

const completedRuns = async (fn: string) =>
  (await runsOf(executorUrl(), `${APP_ID}-${fn}`)).filter((r) => r.status === "completed");

async function allPosts() {
  const out: Record<string, string[]> = {};
  for (const t of tickets) {
    out[t.language] = (await zendeskComments(w, t.externalId)).filter(
      (b) => b !== "My refund was short",
    );
  }
  return out;
}

async function prState(id: string) {
  const [row] = await asSuperuser<{ deploy_state: string; deployed_sha: string | null }>(
    "select deploy_state, deployed_sha from public.pull_requests where bug_id = $1",
    [id],
  );
  return row;
}

async function rcaOf(id: string) {
  const [row] = await asSuperuser<{
    id: string;
    status: string;
    version: number;
    parked_reason: string | null;
    sections: Record<string, string>;
  }>("select id, status, version, parked_reason, sections from public.rcas where bug_id = $1", [
    id,
  ]);
  return row;
}

beforeAll(async () => {
  usePipelineEnv();
  (await import("@/lib/env")).resetEnvCacheForTests();
  events = await import("@/inngest/events");
  ({ handleWebhook } = await import("@/lib/webhooks/intake"));
  inngest = new Inngest({ id: APP_ID, isDev: true, baseUrl: executorUrl() });
  const [deploys, publish] = await Promise.all([
    import("@/inngest/functions/github-deployment-status"),
    import("@/inngest/functions/publish-rca"),
  ]);
  app = await serveApp(inngest, [
    deploys.defineGithubDeploymentStatus(inngest),
    publish.definePublishRca(inngest),
  ]);
  await syncApp(executorUrl(), app.url);

  w = await fixLoopWorld("deploy");
  bugId = await bugWithMergedPr(w, "high", 7, w.commits.fix);
  for (const [provider, language] of [
    ["zendesk", "es"],
    ["zendesk", "de"],
    ["zendesk", "ja"],
  ] as const) {
    tickets.push({ ...(await linkedTicket(w, bugId, provider, language)), language });
  }
  // a second critical bug fixed by the same merge, whose RCA nobody approves before the rollback
  otherBugId = await bugWithMergedPr(w, "critical", 8, w.commits.fix);
}, 180_000);

afterAll(async () => {
  await releaseSharedSandboxAccounts();
  await app?.close();
  await closeDb();
  if (w?.workDir) rmSync(w.workDir, { recursive: true, force: true });
});

describe("deploy detection → customer RCA, once per ticket", () => {
  it("a production deploy of a commit without the merge ships nothing", async () => {
    await deploy(w.commits.base);
    await waitFor(
      async () => (await completedRuns("github-deployment-status")).length >= 1,
      30_000,
      "judge",
    );
    expect((await prState(bugId))?.deploy_state).toBe("not_yet");
    expect(await rcaOf(bugId)).toBeUndefined();
  }, 60_000);

  it("a deploy containing the merge ships the fix, drafts the RCA, and waits for approval", async () => {
    const before = (await completedRuns("publish-rca")).length;
    await deploy(w.commits.fix);
    const pr = await waitFor(
      async () => {
        const p = await prState(bugId);
        return p?.deploy_state === "shipped" ? p : undefined;
      },
      30_000,
      "shipped",
    );
    expect(pr.deployed_sha).toBe(w.commits.fix);
    await waitFor(
      async () => (await completedRuns("publish-rca")).length >= before + 2,
      30_000,
      "publish runs",
    );
    const rca = await rcaOf(bugId);
    expect(rca?.status).toBe("draft");
    expect(rca?.sections.timeline).toContain("Fix live in production");
    // approval is required by default: nothing reached the customers
    expect(Object.values(await allPosts()).flat()).toEqual([]);
  }, 60_000);

  it("once an owner approves, each linked ticket gets the RCA once, in its language", async () => {
    await asOk(w.owner, "update public.rcas set status = 'approved' where bug_id = $1", [bugId]);
    await inngest.send(
      events.rcaPublishRequested.create({
        organizationId: w.organizationId,
        bugId,
        cause: "approved",
      }),
    );
    const rca = await waitFor(
      async () => {
        const r = await rcaOf(bugId);
        return r?.status === "published" ? r : undefined;
      },
      30_000,
      "published",
    );
    const posts = await allPosts();
    expect(posts.es).toHaveLength(1);
    expect(posts.de).toHaveLength(1);
    expect(posts.ja).toHaveLength(1);
    expect(posts.es?.[0]).toContain("Hola:");
    expect(posts.de?.[0]).toContain("Hallo,");
    expect(posts.ja?.[0]).toContain("いつもご利用いただきありがとうございます。");
    // the team's sections are posted as written, in every language
    for (const text of Object.values(posts).flat()) {
      expect(text).toContain("Customers received refunds one cent lower");
    }
    const pubs = await asSuperuser<{ status: string; language: string; version_hash: string }>(
      "select status, language, version_hash from public.rca_publications where rca_id = $1",
      [rca.id],
    );
    expect(pubs.map((p) => p.language).sort()).toEqual(["de", "es", "ja"]);
    expect(pubs.every((p) => p.status === "sent" && /^[0-9a-f]{64}$/.test(p.version_hash))).toBe(
      true,
    );
  }, 60_000);

  it("the same deploy delivered twice, and a second status on it, post nothing more", async () => {
    await Promise.all([settled("github-deployment-status"), settled("publish-rca")]);
    const judgedBefore = new Set(
      (await completedRuns("github-deployment-status")).map((r) => r.id),
    );
    const publishes = (await completedRuns("publish-rca")).length;
    const latest = (
      await control<{ deliveries: Array<{ id: string; event: string }> }>(
        "GET",
        "/deliveries?provider=github&event=deployment_status.created&limit=1",
      )
    ).json.deliveries[0];
    // GitHub's redelivery: the very same bytes and delivery id
    await deliverAgain(latest?.id ?? "");
    // a fresh delivery about the same deploy: judged again, same verdict
    const [dep] = await asSuperuser<{ github_deployment_id: string }>(
      "select github_deployment_id from public.deployments where repository_id = $1 and sha = $2",
      [w.repositoryId, w.commits.fix],
    );
    await deploy(w.commits.fix, { deploymentId: Number(dep?.github_deployment_id) });
    const fresh = await waitFor(
      async () => {
        const runs = (await completedRuns("github-deployment-status")).filter(
          (r) => !judgedBefore.has(r.id),
        );
        return runs.length >= 1 ? runs : undefined;
      },
      30_000,
      "second judgement",
    );
    await new Promise((r) => setTimeout(r, 1500));
    // every judgement of the same deploy changed nothing and asked nothing
    for (const run of fresh) {
      expect(run.output).toMatchObject({ production: true, shipped: [], rolledBack: [] });
    }
    expect((await completedRuns("publish-rca")).length).toBe(publishes);
    const posts = await allPosts();
    expect(Object.values(posts).map((p) => p.length)).toEqual([1, 1, 1]);
  }, 60_000);

  it("a rollback posts nothing and parks the RCA that was not yet published", async () => {
    // the other bug's RCA was drafted when its fix shipped, and nobody approved it
    expect((await rcaOf(otherBugId))?.status).toBe("draft");
    await deploy(w.commits.base);
    const other = await waitFor(
      async () => {
        const r = await rcaOf(otherBugId);
        return r?.status === "parked" ? r : undefined;
      },
      30_000,
      "parked",
    );
    expect(other.parked_reason).toContain("rolled back");
    expect((await prState(bugId))?.deploy_state).toBe("rolled_back");
    expect((await rcaOf(bugId))?.status).toBe("published");
    await new Promise((r) => setTimeout(r, 1500));
    const posts = await allPosts();
    expect(Object.values(posts).map((p) => p.length)).toEqual([1, 1, 1]);
  }, 60_000);

  it("a re-deploy containing the merge un-parks it and posts nothing already posted", async () => {
    await settled("publish-rca");
    const publishes = (await completedRuns("publish-rca")).length;
    await deploy(w.commits.fix);
    await waitFor(
      async () => (await completedRuns("publish-rca")).length >= publishes + 2,
      30_000,
      "publish runs after re-deploy",
    );
    expect((await prState(bugId))?.deploy_state).toBe("shipped");
    expect((await rcaOf(otherBugId))?.status).toBe("draft");
    const posts = await allPosts();
    expect(Object.values(posts).map((p) => p.length)).toEqual([1, 1, 1]);
  }, 60_000);

  it("after a switch to Intercom, the approved RCA of the other bug is an Intercom reply", async () => {
    await switchToIntercom(w);
    const conversation = await linkedTicket(w, otherBugId, "intercom", "pt");
    await asOk(w.owner, "update public.rcas set status = 'approved' where bug_id = $1", [
      otherBugId,
    ]);
    for (let i = 0; i < 2; i++) {
      // a double click: the second request finds the ticket already has this version
      await inngest.send(
        events.rcaPublishRequested.create({
          organizationId: w.organizationId,
          bugId: otherBugId,
          cause: "approved",
        }),
      );
    }
    await waitFor(
      async () => (await rcaOf(otherBugId))?.status === "published",
      30_000,
      "other RCA published",
    );
    await new Promise((r) => setTimeout(r, 1500));
    const replies = await intercomAdminReplies(w, conversation.externalId);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain("Olá,");
    expect(replies[0]).toContain("<p>");
  }, 60_000);
});
