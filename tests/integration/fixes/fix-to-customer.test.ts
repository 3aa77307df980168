import { rmSync } from "node:fs";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runsOf, serveApp, syncApp, waitFor } from "@/scripts/lib/inngest-harness";
import { asOk, asSuperuser, closeDb } from "@/supabase/tests/helpers/db";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import {
  releaseSharedSandboxAccounts,
  startIntake,
  usePipelineEnv,
} from "@/tests/integration/pipeline/fixtures";
import { control, sandbox } from "@/tests/integration/sandboxes/helpers";
import { type FixLoopWorld, fixLoopWorld, linkedTicket, zendeskComments } from "./fixtures";

vi.mock("server-only", () => ({}));

/**
 * Issue 17's whole loop as one story, through the sandboxes and the executor with nothing written
 * to the database on the jobs' behalf. A Mapped Bug reported by three customers (Spanish, German,
 * Japanese Zendesk tickets) → `fix-attempt` asks the Anthropic stand-in and opens a draft PR
 * through the GitHub sandbox → the sandbox acts as CI (a check fails, then passes) and merges
 * the PR; every signed delivery goes through the real intake (the sandbox's webhook target) to
 * `github-pr-activity` and `draft-rca` → the owner approves the drafted RCA; nothing is posted
 * while the fix is not in production → the sandbox reports a production deploy of main (which
 * contains the merge): `github-deployment-status` judges it with the Compare API and
 * `publish-rca` posts one public comment to each ticket in its language → the same deploy
 * delivered twice, and a rollback, post nothing more.
 */

const APP_ID = "fix-to-customer-test";
const executorUrl = () => devstackEnv().INNGEST_BASE_URL;
let app: Awaited<ReturnType<typeof serveApp>>;
let intake: Awaited<ReturnType<typeof startIntake>>;
let inngest: Inngest;
let events: typeof import("@/inngest/events");
let w: FixLoopWorld;
let bugId = "";
let prNumber = 0;
let mergeSha = "";
let deploymentId = 0;
let deployDelivery = "";
const tickets: Array<{ externalId: string; language: string }> = [];

const completed = async (fn: string) =>
  (await runsOf(executorUrl(), `${APP_ID}-${fn}`)).filter((r) => r.status === "completed");
const settled = (fn: string) =>
  waitFor(
    async () =>
      (await runsOf(executorUrl(), `${APP_ID}-${fn}`)).every((r) =>
        ["completed", "failed", "cancelled", "skipped"].includes(r.status),
      ),
    30_000,
    `${fn} runs settled`,
  );

interface PrRow {
  origin: string;
  state: string;
  number: number;
  checks_state: string;
  merge_sha: string | null;
  deploy_state: string;
  deployed_sha: string | null;
}
async function pr(): Promise<PrRow | undefined> {
  const [row] = await asSuperuser<PrRow>(
    `select origin, state, number, checks_state, merge_sha, deploy_state, deployed_sha
       from public.pull_requests where bug_id = $1`,
    [bugId],
  );
  return row;
}
const prUntil = (what: string, ok: (r: PrRow) => boolean) =>
  waitFor(
    async () => {
      const r = await pr();
      return r && ok(r) ? r : undefined;
    },
    30_000,
    what,
  );

async function rca() {
  const [row] = await asSuperuser<{
    id: string;
    status: string;
    sections: Record<string, string>;
  }>("select id, status, sections from public.rcas where bug_id = $1", [bugId]);
  return row;
}

/** What each ticket's customer has read from us (public comments after their own). */
async function posts(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of tickets) {
    out[t.language] = (await zendeskComments(w, t.externalId)).filter(
      (b) => b !== "My refund was short",
    );
  }
  return out;
}

async function act<T>(path: string, body: unknown): Promise<T> {
  const res = await control<T>("POST", path, body);
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json;
}

beforeAll(async () => {
  usePipelineEnv();
  const env = devstackEnv();
  process.env.ANTHROPIC_BASE_URL = env.ANTHROPIC_BASE_URL;
  process.env.GITHUB_APP_SLUG = env.GITHUB_APP_SLUG;
  delete process.env.ANTHROPIC_API_KEY;
  (await import("@/lib/env")).resetEnvCacheForTests();
  events = await import("@/inngest/events");
  inngest = new Inngest({ id: APP_ID, isDev: true, baseUrl: executorUrl() });
  const [attempts, activity, drafting, deploys, publishing] = await Promise.all([
    import("@/inngest/functions/fix-attempt"),
    import("@/inngest/functions/github-pr-activity"),
    import("@/inngest/functions/draft-rca"),
    import("@/inngest/functions/github-deployment-status"),
    import("@/inngest/functions/publish-rca"),
  ]);
  app = await serveApp(inngest, [
    attempts.defineFixAttempt(inngest),
    activity.defineGithubPrActivity(inngest),
    drafting.defineDraftRca(inngest),
    deploys.defineGithubDeploymentStatus(inngest),
    publishing.definePublishRca(inngest),
  ]);
  await syncApp(executorUrl(), app.url);
  const { handleWebhook } = await import("@/lib/webhooks/intake");
  intake = await startIntake((provider, request) => handleWebhook(provider, request));

  // a repository of the workspace's own on the GitHub sandbox, the App installed, Zendesk connected
  w = await fixLoopWorld("chain");
  await fetch(sandbox("/_control/llm/fix-answers"), { method: "DELETE" });
  const { createAdminClient } = await import("@/lib/supabase/admin");
  const { saveLlmSettings } = await import("@/lib/pipeline/llm/workspace-settings");
  const saved = await saveLlmSettings(
    await createAdminClient({ reason: "test", organizationId: w.organizationId }),
    w.organizationId,
    w.owner.id,
    { provider: "anthropic", model: null, apiKey: env.ANTHROPIC_API_KEY ?? "" },
  );
  expect(saved.ok).toBe(true);

  // the Mapped Bug (medium: the cluster of three tickets is what earns it an RCA), mapped to the
  // refund function at the indexed commit, reported by three customers in their languages
  const [bug] = await asSuperuser<{ id: string }>(
    `insert into public.bugs (organization_id, title, severity, status, steps, expected, actual,
       feature, impact, extraction_confidence, mapping_confidence, verbatim)
     values ($1, 'Refunds are a cent short', 'medium', 'mapped', array['Refund an order of 10.05'],
       'The refund equals the amount paid', 'the refund was one cent lower', 'Refunds',
       'Customers received refunds one cent lower than the amount paid.', 0.9, 0.8,
       'My refund was short') returning id`,
    [w.organizationId],
  );
  bugId = bug?.id ?? "";
  await asSuperuser(
    `insert into public.bug_locations (organization_id, bug_id, repository_id, repository_full_name,
       commit_sha, path, function_name, start_line, end_line, confidence, explanation, rank)
     values ($1, $2, $3, $4, $5, 'refund.ts', 'refund', 1, 1, 0.8, 'The refund amount is computed here.', 1)`,
    [w.organizationId, bugId, w.repositoryId, w.fullName, w.commits.fix],
  );
  for (const language of ["es", "de", "ja"]) {
    const t = await linkedTicket(w, bugId, "zendesk", language);
    tickets.push({ externalId: t.externalId, language });
  }
  // from here on GitHub's deliveries reach the intake as they would in production
  await control("PUT", "/webhook-targets", { github: intake.url("github") });
}, 180_000);

afterAll(async () => {
  await control("PUT", "/webhook-targets", { github: null }).catch(() => undefined);
  await releaseSharedSandboxAccounts();
  await intake?.close();
  await app?.close();
  await closeDb();
  if (w?.workDir) rmSync(w.workDir, { recursive: true, force: true });
});

describe("from a Mapped Bug to the customer's RCA, once per ticket", () => {
  it("the fix attempt opens a draft PR through the GitHub App with the LLM stand-in's patch", async () => {
    const [attempt] = await asSuperuser<{ id: string }>(
      "insert into public.fix_attempts (organization_id, bug_id) values ($1, $2) returning id",
      [w.organizationId, bugId],
    );
    await inngest.send(
      events.fixAttemptRequested.create({
        organizationId: w.organizationId,
        bugId,
        attemptId: attempt?.id ?? "",
      }),
    );
    const row = await prUntil("the drafted PR", (r) => r.origin === "drafted");
    expect(row).toMatchObject({ state: "draft", merge_sha: null, deploy_state: "not_yet" });
    prNumber = row.number;
    // the row is written by the PR's step; the attempt is marked opened by the last one
    const done = await waitFor(
      async () => {
        const [a] = await asSuperuser<{ status: string }>(
          "select status from public.fix_attempts where id = $1",
          [attempt?.id],
        );
        return a && a.status !== "running" && a.status !== "queued" ? a : undefined;
      },
      30_000,
      "the attempt finished",
    );
    expect(done.status).toBe("opened");
    const seen = await control<{ requests: Array<{ system: string }> }>(
      "GET",
      "/llm/requests?provider=anthropic",
    );
    expect(seen.json.requests.some((q) => q.system.startsWith("TASK: fix"))).toBe(true);
  }, 90_000);

  it("CI fails, then passes, as the sandbox reports it", async () => {
    await act("/github/check", {
      repo: w.fullName,
      pr: prNumber,
      name: "ci/test",
      conclusion: "failure",
    });
    await prUntil("checks failing", (r) => r.checks_state === "failing");
    await act("/github/check", {
      repo: w.fullName,
      pr: prNumber,
      name: "ci/test",
      conclusion: "success",
    });
    await prUntil("checks passing", (r) => r.checks_state === "passing");
  }, 60_000);

  it("the merge is recorded and drafts the RCA; approving it posts nothing before production", async () => {
    const merged = await act<{ sha: string }>("/github/merge", {
      repo: w.fullName,
      number: prNumber,
    });
    mergeSha = merged.sha;
    await prUntil("merged", (r) => r.state === "merged" && r.merge_sha === mergeSha);
    const drafted = await waitFor(
      async () => {
        const r = await rca();
        return r?.status === "draft" ? r : undefined;
      },
      30_000,
      "the RCA drafted on merge",
    );
    expect(drafted.sections.customer_impact).toContain("3 customers reported it.");
    // drafted from the merge delivery itself, whether or not the PR's row said merged yet
    expect(drafted.sections.timeline).toContain("Fix completed and reviewed");
    expect(drafted.sections.timeline).not.toContain("Fix live in production");
    // the owner approves it (RLS), and the panel asks publish-rca: the fix is not in production
    await asOk(w.owner, "update public.rcas set status = 'approved' where bug_id = $1", [bugId]);
    const before = (await completed("publish-rca")).length;
    await inngest.send(
      events.rcaPublishRequested.create({
        organizationId: w.organizationId,
        bugId,
        cause: "approved",
      }),
    );
    const runs = await waitFor(
      async () => {
        const r = await completed("publish-rca");
        return r.length > before ? r : undefined;
      },
      30_000,
      "publish-rca after approval",
    );
    expect(runs[0]?.output).toMatchObject({ blocked: expect.any(String) });
    expect(Object.values(await posts()).flat()).toEqual([]);
  }, 90_000);

  it("a production deploy containing the merge posts the RCA once to each ticket, in its language", async () => {
    const out = await act<{
      deployment: { id: number; sha: string };
      deliveries: Array<{ id: string; event: string }>;
    }>("/github/deployment-status", {
      repo: w.fullName,
      environment: "production",
      state: "success",
    });
    deploymentId = out.deployment.id;
    expect(out.deployment.sha).toBe(mergeSha);
    deployDelivery = out.deliveries.find((d) => d.event.startsWith("deployment_status"))?.id ?? "";
    expect(deployDelivery).not.toBe("");
    const shipped = await prUntil("shipped", (r) => r.deploy_state === "shipped");
    expect(shipped.deployed_sha).toBe(mergeSha);
    await waitFor(async () => (await rca())?.status === "published", 30_000, "the RCA published");
    const sent = await posts();
    expect(sent.es).toHaveLength(1);
    expect(sent.de).toHaveLength(1);
    expect(sent.ja).toHaveLength(1);
    expect(sent.es?.[0]).toContain("Hola:");
    expect(sent.de?.[0]).toContain("Hallo,");
    expect(sent.ja?.[0]).toContain("いつもご利用いただきありがとうございます。");
    // approved before the deploy, so never refreshed: the deploy time comes from the facts, in
    // each ticket's language, as the timeline's last line
    const [ship] = await asSuperuser<{ shipped_at: string }>(
      "select shipped_at from public.pull_requests where bug_id = $1",
      [bugId],
    );
    const { formatDeployTime, RCA_MESSAGES } = await import("@/lib/fixes/rca/messages");
    const shippedAt = new Date(ship?.shipped_at ?? "");
    for (const language of ["es", "de", "ja"] as const) {
      const line = RCA_MESSAGES[language].deployed.replace(
        "{time}",
        formatDeployTime(shippedAt, language),
      );
      expect(sent[language]?.[0], language).toContain(
        `${RCA_MESSAGES[language].headings.timeline}\n${(await rca())?.sections.timeline}\n${line}\n\n`,
      );
    }
    for (const text of Object.values(sent).flat()) {
      expect(text).toContain("Customers received refunds one cent lower");
      // plain language: the mapped file and function are never named to the customer
      expect(text).not.toContain("refund.ts");
    }
    const pubs = await asSuperuser<{ language: string; status: string }>(
      "select language, status from public.rca_publications where rca_id = $1",
      [(await rca())?.id],
    );
    expect(pubs.map((p) => `${p.language}:${p.status}`).sort()).toEqual([
      "de:sent",
      "es:sent",
      "ja:sent",
    ]);
  }, 90_000);

  it("the same deploy delivered twice, and a rollback, post nothing more", async () => {
    await Promise.all([settled("github-deployment-status"), settled("publish-rca")]);
    const judged = (await completed("github-deployment-status")).length;
    // GitHub's redelivery (same delivery id: the intake's ledger drops it) and a second status on
    // the same deployment (a new delivery: judged again, same verdict)
    const again = await control("POST", `/deliveries/${deployDelivery}/redeliver`);
    expect(again.status).toBeLessThan(300);
    await act("/github/deployment-status", {
      repo: w.fullName,
      deployment_id: deploymentId,
      environment: "production",
      state: "success",
    });
    // a rollback: production goes back to the commit before the fix
    await act("/github/deployment-status", {
      repo: w.fullName,
      ref: w.commits.base,
      environment: "production",
      state: "success",
    });
    await prUntil("rolled back", (r) => r.deploy_state === "rolled_back");
    const runs = await waitFor(
      async () => {
        const r = await completed("github-deployment-status");
        return r.length >= judged + 2 ? r : undefined;
      },
      30_000,
      "the second status and the rollback judged",
    );
    expect(runs.length).toBe(judged + 2);
    await new Promise((r) => setTimeout(r, 1500));
    await settled("publish-rca");
    expect((await rca())?.status).toBe("published");
    const sent = await posts();
    expect(Object.values(sent).map((p) => p.length)).toEqual([1, 1, 1]);
    const [count] = await asSuperuser<{ n: number }>(
      "select count(*)::int as n from public.rca_publications where rca_id = $1",
      [(await rca())?.id],
    );
    expect(count?.n).toBe(3);
  }, 90_000);
});
