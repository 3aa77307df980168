import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { serveApp, syncApp, waitFor } from "@/scripts/lib/inngest-harness";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import { control } from "@/tests/integration/sandboxes/helpers";
import { EXPORT_TICKET, EXPORT_TICKET_PII } from "../../unit/llm/fixtures";
import {
  type ConnectedWorkspace,
  connectedWorkspace,
  releaseSharedSandboxAccounts,
  startIntake,
  usePipelineEnv,
} from "./fixtures";

vi.mock("server-only", () => ({}));

/**
 * The optional LLM stage in the real job, on the devstack: the Zendesk sandbox delivers signed
 * ticket webhooks, the devstack executor runs `process-ticket` (served over HTTP by the SDK),
 * which reads the workspace's LLM setting, opens its key and calls the Anthropic stand-in
 * through the official SDK. The app's logger writes to a captured destination.
 */

const captured = vi.hoisted(() => ({ lines: [] as string[] }));
vi.mock("@/lib/log", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/log")>();
  const destination = {
    write(line: string) {
      captured.lines.push(line);
      return true;
    },
  };
  // biome-ignore lint/suspicious/noExplicitAny: pino accepts any object with write()
  return { ...real, log: real.createLogger({ level: "trace", destination: destination as any }) };
});

/** The rules find the steps but miss expected/actual in this phrasing (unit/llm/fixtures.ts). */
const OFF_TICKET = {
  subject: "Gift card balance not shown",
  body: "I opened my account page and clicked Gift cards. The balance should show the 40 pounds left on my card. The page shows an empty box. Reach me at sam.lee@example.org.",
};
const DOWN_TICKET = {
  subject: "Wishlist forgets saved lamps",
  body: "I saved three lamps to my wishlist and then signed in on my phone. All three lamps should still be there. The wishlist page is empty now. Call me on +44 20 7946 0123.",
};

const EXPORT_TICKET_AS_ZENDESK = {
  subject: EXPORT_TICKET.subject,
  body: EXPORT_TICKET.customerText,
};

let app: Awaited<ReturnType<typeof serveApp>>;
let intake: Awaited<ReturnType<typeof startIntake>>;
let events: typeof import("@/inngest/events");
let inngest: Inngest;
let ws: ConnectedWorkspace;
let ownerId: string;
const executorUrl = () => devstackEnv().INNGEST_BASE_URL;
const apiKey = () => devstackEnv().ANTHROPIC_API_KEY ?? "";

beforeAll(async () => {
  usePipelineEnv();
  const env = devstackEnv();
  for (const name of ["ANTHROPIC_BASE_URL", "OPENAI_BASE_URL"]) {
    if (!env[name]) throw new Error(`${name} missing from the devstack env file`);
    process.env[name] = env[name];
  }
  // the workspace's own key is what the job must use: the deployment has none
  delete process.env.ANTHROPIC_API_KEY;
  delete process.env.OPENAI_API_KEY;
  (await import("@/lib/env")).resetEnvCacheForTests();
  events = await import("@/inngest/events");
  inngest = new Inngest({ id: "llm-stage-test", isDev: true, baseUrl: executorUrl() });
  const [ingest, processing, indexing] = await Promise.all([
    import("@/inngest/functions/ingest-support-ticket"),
    import("@/inngest/functions/process-ticket"),
    import("@/inngest/functions/index-repository"),
  ]);
  app = await serveApp(inngest, [
    ingest.defineIngestSupportTicket(inngest),
    processing.defineProcessTicket(inngest),
    indexing.defineIndexRepository(inngest),
  ]);
  await syncApp(executorUrl(), app.url);
  const { handleWebhook } = await import("@/lib/webhooks/intake");
  intake = await startIntake((provider, request) => handleWebhook(provider, request));
  ws = await connectedWorkspace("llm", intake.url("zendesk"));
  const [owner] = await asSuperuser<{ user_id: string }>(
    "select user_id from public.memberships where organization_id = $1 and role = 'owner'",
    [ws.organizationId],
  );
  ownerId = owner?.user_id ?? "";
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
      return row?.status === "ready" ? row : undefined;
    },
    90_000,
    "the demo repository indexed",
  );
  await control("DELETE", "/llm/requests");
}, 150_000);

afterAll(async () => {
  await control("DELETE", "/llm/faults").catch(() => undefined);
  await releaseSharedSandboxAccounts();
  await intake?.close();
  await app?.close();
  await closeDb();
});

async function sendTicket(t: { subject: string; body: string }) {
  const made = await control<{ ticket: { id: number } }>("POST", "/zendesk/tickets", {
    subdomain: ws.subdomain,
    subject: t.subject,
    body: t.body,
    requester: { name: "Casey Customer", email: "casey@customer.example" },
  });
  expect(made.status).toBe(201);
  return String(made.json.ticket.id);
}

interface BugRow {
  id: string;
  status: string;
  expected: string | null;
  actual: string | null;
  steps: string[];
  extraction_confidence: string;
  extraction_source: string;
  llm_calls: Array<Record<string, unknown>>;
}

/** The bug the ticket's processing created (waits for the job). */
async function bugFor(externalId: string): Promise<{ ticketId: string; bug: BugRow }> {
  return waitFor(
    async () => {
      const [row] = await asSuperuser<{ ticket_id: string } & BugRow>(
        `select t.id as ticket_id, b.id, b.status, b.expected, b.actual, b.steps,
                b.extraction_confidence, b.extraction_source, b.llm_calls
           from public.tickets t
           join public.bug_tickets bt on bt.ticket_id = t.id
           join public.bugs b on b.id = bt.bug_id
          where t.organization_id = $1 and t.provider = 'zendesk' and t.external_id = $2`,
        [ws.organizationId, externalId],
      );
      return row ? { ticketId: row.ticket_id, bug: row } : undefined;
    },
    60_000,
    `ticket ${externalId} decided`,
  );
}

/** What the deterministic path decides for the stored ticket (extraction needs no index). */
async function offlineBug(ticketId: string) {
  const { createAdminClient } = await import("@/lib/supabase/admin");
  const { loadTicket } = await import("@/lib/pipeline/jobs/ticket-store");
  const { decideTicket } = await import("@/lib/pipeline/jobs/decide");
  const admin = await createAdminClient({ reason: "test", organizationId: ws.organizationId });
  const loaded = await loadTicket(admin, ws.organizationId, ticketId);
  if (!loaded) throw new Error("ticket not stored");
  const decision = await decideTicket(loaded.ticket, null);
  if (decision.kind !== "bug") throw new Error("the offline path set the ticket aside");
  return decision.bug;
}

async function saveSetting(input: {
  provider: "none" | "anthropic" | "openai";
  model: string | null;
  apiKey: string | null;
}) {
  const { createAdminClient } = await import("@/lib/supabase/admin");
  const { saveLlmSettings } = await import("@/lib/pipeline/llm/workspace-settings");
  const admin = await createAdminClient({ reason: "test", organizationId: ws.organizationId });
  return saveLlmSettings(admin, ws.organizationId, ownerId, input);
}

const stubRequests = async () =>
  (await control<{ requests: Array<{ user: string }> }>("GET", "/llm/requests?provider=anthropic"))
    .json.requests;

describe("process-ticket with the workspace's LLM provider", () => {
  it("off by default: the bug is the offline one, nothing reaches a provider", async () => {
    const { ticketId, bug } = await bugFor(await sendTicket(OFF_TICKET));
    expect(bug.extraction_source).toBe("offline");
    expect(bug.llm_calls).toEqual([]);
    const offline = await offlineBug(ticketId);
    expect(bug.expected).toBe(offline.expected);
    expect(bug.actual).toBe(offline.actual);
    expect(await stubRequests()).toEqual([]);
  }, 90_000);

  it("a provider needs a key; the key is stored only as ciphertext bound to its row", async () => {
    expect(await saveSetting({ provider: "anthropic", model: null, apiKey: null })).toMatchObject({
      ok: false,
      field: "apiKey",
    });
    const saved = await saveSetting({ provider: "anthropic", model: null, apiKey: apiKey() });
    expect(saved).toMatchObject({ ok: true, view: { provider: "anthropic", model: null } });
    const [row] = await asSuperuser<{ api_key_enc: string; all: string }>(
      "select api_key_enc, to_jsonb(l)::text as all from public.llm_settings l where organization_id = $1",
      [ws.organizationId],
    );
    expect(row?.api_key_enc).toMatch(/^v1\./);
    expect(row?.all).not.toContain(apiKey());
    // the ciphertext opens only at its own place
    const { openSecret } = await import("@/lib/integrations/secrets");
    const [id] = await asSuperuser<{ id: string }>(
      "select id from public.llm_settings where organization_id = $1",
      [ws.organizationId],
    );
    const place = {
      organizationId: ws.organizationId,
      table: "llm_settings" as const,
      rowId: id?.id ?? "",
      column: "api_key_enc" as const,
    };
    expect(openSecret(place, row?.api_key_enc ?? "")).toBe(apiKey());
    expect(() =>
      openSecret({ ...place, organizationId: ws.repositoryId }, row?.api_key_enc ?? ""),
    ).toThrow();
    // the change is audited, without the key
    const [audit] = await asSuperuser<{ metadata: Record<string, unknown> }>(
      "select metadata from public.audit_log where organization_id = $1 and action = 'llm.settings_changed' order by created_at desc limit 1",
      [ws.organizationId],
    );
    expect(audit?.metadata).toMatchObject({ provider: "anthropic", keyReplaced: true });
    expect(JSON.stringify(audit)).not.toContain(apiKey());
  });

  it("enabled: the stand-in fills the extraction from redacted text; only metadata is stored", async () => {
    await control("DELETE", "/llm/requests");
    const { ticketId, bug } = await bugFor(await sendTicket(EXPORT_TICKET_AS_ZENDESK));
    expect(bug.extraction_source).toBe("llm");
    expect(bug.expected).toBe("The file should have every order of the month.");
    expect(bug.actual).toBe("It only has the first 100 rows.");
    const offline = await offlineBug(ticketId);
    expect(offline.expected).toBeNull();
    expect(Number(bug.extraction_confidence)).toBeGreaterThan(offline.confidence);
    expect(bug.llm_calls.map((c) => [c.task, c.provider, c.outcome])).toEqual([
      ["extract", "anthropic", "used"],
      ["rerank", "anthropic", "used"],
    ]);
    expect(bug.llm_calls[0]).toMatchObject({
      model: expect.any(String),
      inputTokens: expect.any(Number),
      outputTokens: expect.any(Number),
      piiRisks: expect.arrayContaining(["email", "phone", "card"]),
    });
    // what left was redacted
    const sent = await stubRequests();
    expect(sent).toHaveLength(2);
    for (const r of sent) for (const pii of EXPORT_TICKET_PII) expect(r.user).not.toContain(pii);
    expect(sent[0]?.user).toContain("[email]");
    // the stored call records hold no ticket text
    const calls = JSON.stringify(bug.llm_calls);
    for (const s of ["Reports page", "100 rows", ...EXPORT_TICKET_PII])
      expect(calls).not.toContain(s);
  }, 90_000);

  it("provider down: the deterministic result, recorded as a failed call, nothing lost", async () => {
    await control("POST", "/llm/faults", { provider: "anthropic", mode: "server-error", times: 0 });
    try {
      const { ticketId, bug } = await bugFor(await sendTicket(DOWN_TICKET));
      expect(["mapped", "review"]).toContain(bug.status);
      expect(bug.extraction_source).toBe("offline");
      // rerank is asked for only when the mapping is below the gate (lib/pipeline/jobs/decide.ts)
      expect(bug.llm_calls[0]).toMatchObject({
        task: "extract",
        outcome: "failed",
        error: "InternalServerError 500",
      });
      for (const call of bug.llm_calls) expect(call.outcome).toBe("failed");
      const offline = await offlineBug(ticketId);
      expect(bug.expected).toBe(offline.expected);
      expect(bug.actual).toBe(offline.actual);
      expect(bug.steps).toEqual(offline.stepsToReproduce);
      expect(Number(bug.extraction_confidence)).toBe(Math.round(offline.confidence * 1000) / 1000);
    } finally {
      await control("DELETE", "/llm/faults");
    }
  }, 120_000);

  it("the key and the tickets' text never reached the app's log; each call did, as metadata", () => {
    const log = captured.lines.join("");
    expect(log).not.toContain(apiKey());
    for (const s of [
      ...EXPORT_TICKET_PII,
      "every order of the month",
      "sam.lee@example.org",
      "7946 0123",
      "three lamps",
    ]) {
      expect(log).not.toContain(s);
    }
    const records = captured.lines
      .map((l) => JSON.parse(l) as { llm?: { task: string; outcome: string } })
      .flatMap((l) => (l.llm ? [l.llm] : []));
    expect(records.map((r) => `${r.task} ${r.outcome}`)).toEqual(
      expect.arrayContaining(["extract used", "rerank used", "extract failed"]),
    );
  });

  it("turning it off deletes the key", async () => {
    expect(await saveSetting({ provider: "none", model: null, apiKey: null })).toMatchObject({
      ok: true,
      view: { provider: "none", keySetAt: null },
    });
    const [row] = await asSuperuser<{ api_key_enc: string | null }>(
      "select api_key_enc from public.llm_settings where organization_id = $1",
      [ws.organizationId],
    );
    expect(row?.api_key_enc).toBeNull();
  });
});
