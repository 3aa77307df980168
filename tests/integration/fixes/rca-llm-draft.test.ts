import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { draftRca } from "@/lib/fixes/rca/draft";
import { serveApp, syncApp, waitFor, waitForRun } from "@/scripts/lib/inngest-harness";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import { newWorkspace, usePipelineEnv } from "@/tests/integration/pipeline/fixtures";
import { control, sandbox } from "@/tests/integration/sandboxes/helpers";

vi.mock("server-only", () => ({}));

/**
 * The customer RCA drafted by the workspace's model (issue 17): the devstack executor runs
 * `draft-rca`, which asks the Anthropic stand-in (the workspace's own key) with the bug's fields
 * redacted and no code names, checks the five sections and stores them with `draft_source =
 * llm`; a model answer naming a mapped function is refused and the offline draft is stored with
 * a note; drafting again does not ask the model a second time.
 */

const APP_ID = "review17-rca-llm-test";
let app: Awaited<ReturnType<typeof serveApp>>;
let inngest: Inngest;
let events: typeof import("@/inngest/events");
let organizationId = "";
const executorUrl = () => devstackEnv().INNGEST_BASE_URL;
const FIRST_REPORT = "2026-12-01T09:30:00Z";

interface RcaRow {
  sections: Record<string, string>;
  draft_source: string;
  draft_note: string | null;
  status: string;
  version: number;
}

const PII_IMPACT = "Customers paid full price; Dana (dana.whitfield@example.org) was charged twice";
async function highBug(title: string, impact = "Customers paid full price"): Promise<string> {
  const [bug] = await asSuperuser<{ id: string }>(
    `insert into public.bugs (organization_id, title, severity, status, steps, expected, actual,
       feature, impact, extraction_confidence, mapping_confidence, verbatim)
     values ($1, $2, 'high', 'mapped', array['Apply a coupon'], 'The coupon lowers the total',
       'The total stays the same', 'Checkout page', $3, 0.9, 0.9, 'Hi')
     returning id`,
    [organizationId, title, impact],
  );
  const bugId = bug?.id ?? "";
  const [ticket] = await asSuperuser<{ id: string }>(
    `insert into public.tickets (organization_id, provider, external_id, subject, requester_name, status, provider_created_at)
     values ($1, 'zendesk', $2, $3, 'Dana Whitfield', 'bug', $4) returning id`,
    [organizationId, String(Math.floor(Math.random() * 1e6)), title, FIRST_REPORT],
  );
  await asSuperuser(
    "insert into public.bug_tickets (organization_id, bug_id, ticket_id) values ($1, $2, $3)",
    [organizationId, bugId, ticket?.id],
  );
  await asSuperuser(
    `insert into public.bug_locations (organization_id, bug_id, repository_full_name, commit_sha,
       path, function_name, start_line, end_line, confidence, explanation, rank)
     values ($1, $2, 'acme/shop', $3, 'src/checkout/coupon.ts', 'CouponService.applyCoupon', 3, 9, 0.9,
       'The report names the coupon.', 1)`,
    [organizationId, bugId, "a".repeat(40)],
  );
  return bugId;
}

async function draft(bugId: string): Promise<RcaRow> {
  const sent = await inngest.send(
    events.rcaDraftRequested.create({ organizationId, bugId, mergedNow: true }),
  );
  const run = await waitForRun(executorUrl(), `${APP_ID}-draft-rca`, sent.ids[0] ?? "", 60_000);
  expect(run.status).toBe("completed");
  return waitFor(
    async () =>
      (
        await asSuperuser<RcaRow>(
          "select sections, draft_source, draft_note, status, version from public.rcas where bug_id = $1",
          [bugId],
        )
      )[0],
    60_000,
    "the RCA draft",
  );
}

const rcaPrompts = async () =>
  (
    await control<{ requests: Array<{ user: string; system: string }> }>(
      "GET",
      "/llm/requests?provider=anthropic",
    )
  ).json.requests.filter((q) => q.system.startsWith("TASK: rca"));

beforeAll(async () => {
  usePipelineEnv();
  const env = devstackEnv();
  process.env.ANTHROPIC_BASE_URL = env.ANTHROPIC_BASE_URL;
  delete process.env.ANTHROPIC_API_KEY;
  (await import("@/lib/env")).resetEnvCacheForTests();
  events = await import("@/inngest/events");
  inngest = new Inngest({ id: APP_ID, isDev: true, baseUrl: executorUrl() });
  const { defineDraftRca } = await import("@/inngest/functions/draft-rca");
  app = await serveApp(inngest, [defineDraftRca(inngest)]);
  await syncApp(executorUrl(), app.url);
  organizationId = await newWorkspace("rcallm");
  const [owner] = await asSuperuser<{ user_id: string }>(
    "select user_id from public.memberships where organization_id = $1 and role = 'owner'",
    [organizationId],
  );
  const { createAdminClient } = await import("@/lib/supabase/admin");
  const { saveLlmSettings } = await import("@/lib/pipeline/llm/workspace-settings");
  const admin = await createAdminClient({ reason: "test", organizationId });
  const saved = await saveLlmSettings(admin, organizationId, owner?.user_id ?? "", {
    provider: "anthropic",
    model: null,
    apiKey: env.ANTHROPIC_API_KEY ?? "",
  });
  expect(saved.ok).toBe(true);
  await fetch(sandbox("/_control/llm/requests"), { method: "DELETE" });
}, 120_000);

afterAll(async () => {
  await fetch(sandbox("/_control/llm/rca-answers"), { method: "DELETE" }).catch(() => undefined);
  await app?.close();
  await closeDb();
});

describe("an RCA drafted by the workspace's model", () => {
  it("is the model's prose, from redacted fields and no code names, with the facts' times", async () => {
    const bugId = await highBug("Coupon ignored at checkout, says dana.whitfield@example.org");
    const rca = await draft(bugId);
    expect(rca).toMatchObject({ draft_source: "llm", draft_note: null, status: "draft" });
    expect(rca.sections.root_cause).toBe(
      "An error in how the checkout page handled this situation meant that the total stays the same.",
    );
    expect(rca.sections.fix).toContain("so now the coupon lowers the total");
    expect(rca.sections.timeline).toBe("First report: 1 Dec 2026, 09:30 UTC");
    expect(rca.sections.customer_impact).toContain("customers paid full price");
    // what left for the model: redacted, and none of the mapped names
    const [prompt, ...more] = await rcaPrompts();
    expect(more).toEqual([]);
    expect(prompt?.user).toContain("Feature: Checkout page");
    expect(prompt?.user).toContain("Title: Coupon ignored at checkout, says [email]");
    expect(prompt?.user).toContain("[email]");
    expect(prompt?.user).not.toContain("dana.whitfield@example.org");
    for (const name of ["applyCoupon", "CouponService", "coupon.ts"])
      expect(prompt?.user).not.toContain(name);
    expect(JSON.stringify(rca.sections)).not.toContain("dana.whitfield");
  }, 90_000);

  it("drafting again does not ask the model twice, and keeps its prose", async () => {
    const [bug] = await asSuperuser<{ bug_id: string }>(
      "select bug_id from public.rcas where organization_id = $1 and draft_source = 'llm'",
      [organizationId],
    );
    const before = await rcaPrompts();
    // the run has finished when draft() returns
    const again = await draft(bug?.bug_id ?? "");
    expect((await rcaPrompts()).length).toBe(before.length);
    expect(again.draft_source).toBe("llm");
  }, 90_000);

  it("prose that names a mapped function falls back to the offline draft, and says so", async () => {
    const queued = await control("POST", "/llm/rca-answers", {
      text: JSON.stringify({
        customer_impact: "Some customers paid the full price.",
        timeline: "First report: 1 Dec 2026, 09:30 UTC",
        root_cause: "The applyCoupon step was skipped when the cart had one item.",
        fix: "We fixed it.",
        prevention: "We added a test.",
      }),
    });
    expect(queued.status).toBe(201);
    const bugId = await highBug("Coupon ignored for one item", PII_IMPACT);
    const rca = await draft(bugId);
    expect(rca.draft_source).toBe("offline_fallback");
    expect(rca.draft_note).toBe(
      "The model's root cause named code or carried a stack trace. This is the offline draft instead.",
    );
    expect(rca.sections.root_cause).not.toContain("applyCoupon");
    expect(rca.sections).toEqual(
      draftRca({
        bug: {
          title: "Coupon ignored for one item",
          severity: "high",
          feature: "Checkout page",
          impact: "Customers paid full price; Dana (dana.whitfield@example.org) was charged twice",
          expected: "The coupon lowers the total",
          actual: "The total stays the same",
        },
        reports: { count: 1, firstAt: new Date(FIRST_REPORT) },
        pullRequests: [],
        deployedAt: null,
        testsAdded: false,
        avoid: ["src/checkout/coupon.ts", "coupon.ts", "CouponService.applyCoupon", "applyCoupon"],
      }),
    );
  }, 90_000);

  it("prose that repeats a redaction marker is refused too (the stand-in echoes the redacted impact)", async () => {
    const bugId = await highBug("Coupon ignored twice", PII_IMPACT);
    const rca = await draft(bugId);
    expect(rca.draft_source).toBe("offline_fallback");
    expect(rca.draft_note).toBe(
      "The model's customer impact repeated a marker of removed personal data. This is the offline draft instead.",
    );
    expect(JSON.stringify(rca.sections)).not.toContain("[email]");
  }, 90_000);
});
