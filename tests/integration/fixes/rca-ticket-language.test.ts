import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { serveApp, syncApp, waitFor } from "@/scripts/lib/inngest-harness";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import {
  type ConnectedWorkspace,
  connectedWorkspace,
  releaseSharedSandboxAccounts,
  startIntake,
  usePipelineEnv,
  zendeskToken,
} from "@/tests/integration/pipeline/fixtures";
import { control } from "@/tests/integration/sandboxes/helpers";
import { intercomToken } from "./fixtures";

vi.mock("server-only", () => ({}));

/**
 * Issue 17: posting the RCA must not change a ticket's language. Our public comment on a Zendesk
 * ticket comes back as `ticket.comment_added`; the intake function fetches the thread again and
 * stores it. The ticket's language is what processing detected from the customer's own words,
 * and must stay so: the re-ingested thread carries no locale (the sandbox's customers have none,
 * like many real ones), and the RCA panel previewed such a ticket in English. Only the intake
 * function is served, so nothing re-detects the language behind the test's back: what is stored
 * after the re-ingest is what the intake wrote. Processing runs in the test as `process-ticket`'s
 * step does (load → decide → persist). Intercom's reply path is checked the same way through
 * its sandbox and the same store.
 */

const APP_ID = "rca-ticket-language-test";
const executorUrl = () => devstackEnv().INNGEST_BASE_URL;
let app: Awaited<ReturnType<typeof serveApp>>;
let intake: Awaited<ReturnType<typeof startIntake>>;
let ws: ConnectedWorkspace;

const SPANISH = {
  subject: "Otra vez me recomiendan la batidora",
  body: "Me siguen recomendando la batidora que ya compré el mes pasado. Cuando abro la página de un producto, la sección de recomendaciones muestra otra vez la misma batidora.",
};
// what publish-rca posts: the fixed parts in Spanish, the team's edited sections as they wrote them
const RCA_TEXT =
  "Hola, gracias por avisarnos. Hemos corregido el problema que nos reportó.\n\nRoot cause: the recommendations did not leave out products the customer had already bought. The fix is deployed to production and we added a test so it does not come back.";

async function admin() {
  const { createAdminClient } = await import("@/lib/supabase/admin");
  return createAdminClient({ reason: "test", organizationId: ws.organizationId });
}

/** What `process-ticket`'s step does with a stored ticket (no repository indexed: held for mapping). */
async function processTicket(ticketId: string) {
  const [store, decide, persist] = await Promise.all([
    import("@/lib/pipeline/jobs/ticket-store"),
    import("@/lib/pipeline/jobs/decide"),
    import("@/lib/pipeline/jobs/persist-decision"),
  ]);
  const db = await admin();
  const loaded = await store.loadTicket(db, ws.organizationId, ticketId);
  if (!loaded) throw new Error("ticket not stored");
  const gates = await persist.loadGates(db, ws.organizationId);
  const decision = await decide.decideTicket(loaded.ticket, null, gates);
  return persist.persistDecision(db, ws.organizationId, ticketId, decision, []);
}

async function ticketRow(provider: string, externalId: string) {
  const [row] = await asSuperuser<{ id: string; language: string | null; messages: number }>(
    `select t.id, t.language,
            (select count(*)::int from public.ticket_messages m where m.ticket_id = t.id) as messages
       from public.tickets t
      where t.organization_id = $1 and t.provider = $2 and t.external_id = $3`,
    [ws.organizationId, provider, externalId],
  );
  return row;
}

async function roles(ticketId: string) {
  return (
    await asSuperuser<{ author_role: string }>(
      "select author_role from public.ticket_messages where ticket_id = $1 order by position",
      [ticketId],
    )
  ).map((m) => m.author_role);
}

const bases = () => ({
  zendeskBaseUrl: devstackEnv().ZENDESK_BASE_URL ?? "",
  intercomApiBase: devstackEnv().INTERCOM_API_BASE ?? "",
});

beforeAll(async () => {
  usePipelineEnv();
  (await import("@/lib/env")).resetEnvCacheForTests();
  const inngest = new Inngest({ id: APP_ID, isDev: true, baseUrl: executorUrl() });
  const ingest = await import("@/inngest/functions/ingest-support-ticket");
  app = await serveApp(inngest, [ingest.defineIngestSupportTicket(inngest)]);
  await syncApp(executorUrl(), app.url);
  const { handleWebhook } = await import("@/lib/webhooks/intake");
  intake = await startIntake((provider, request) => handleWebhook(provider, request));
  ws = await connectedWorkspace("lang", intake.url("zendesk"));
}, 120_000);

afterAll(async () => {
  await releaseSharedSandboxAccounts();
  await intake?.close();
  await app?.close();
  await closeDb();
});

describe("posting the RCA keeps each ticket's language", () => {
  it("Zendesk: our public comment comes back as comment_added and the ticket stays Spanish", async () => {
    const made = await control<{ ticket: { id: number } }>("POST", "/zendesk/tickets", {
      subdomain: ws.subdomain,
      ...SPANISH,
      requester: { name: "Lucía", email: "lucia@cliente.example" },
    });
    expect(made.status).toBe(201);
    const externalId = String(made.json.ticket.id);
    const stored = await waitFor(
      async () => {
        const row = await ticketRow("zendesk", externalId);
        return row && row.messages === 1 ? row : undefined;
      },
      45_000,
      "the ticket ingested",
    );
    await processTicket(stored.id);
    expect((await ticketRow("zendesk", externalId))?.language).toBe("es");

    // publish-rca's post, through the real poster, as the admin the token belongs to
    const { postToTicket } = await import("@/lib/fixes/rca-jobs/post-to-ticket");
    const posted = await postToTicket(
      { provider: "zendesk", subdomain: ws.subdomain, externalId },
      await zendeskToken(ws.subdomain),
      RCA_TEXT,
      bases(),
    );
    expect(posted).not.toBeNull();

    // the comment_added delivery re-ingests the thread (the ticket row is written before its
    // messages, so once the second message is there the row is final)
    const reingested = await waitFor(
      async () => {
        const row = await ticketRow("zendesk", externalId);
        return row && row.messages === 2 ? row : undefined;
      },
      45_000,
      "the ticket re-ingested with our comment",
    );
    expect(reingested.language).toBe("es");
    expect(await roles(stored.id)).toEqual(["customer", "agent"]);

    // and processing the new thread detects from the customer's words, not our comment
    await processTicket(stored.id);
    expect((await ticketRow("zendesk", externalId))?.language).toBe("es");
  }, 120_000);

  it("Intercom: our admin reply, read back and stored, leaves the conversation Spanish", async () => {
    const made = await control<{ conversation: { id: string } }>(
      "POST",
      "/intercom/conversations",
      { body: SPANISH.body, contact: { name: "Lucía", email: "lucia@cliente.example" } },
    );
    expect(made.status).toBe(201);
    const externalId = made.json.conversation.id;
    const token = await intercomToken();
    const [jobs, store] = await Promise.all([
      import("@/lib/pipeline/jobs/provider-tickets"),
      import("@/lib/pipeline/jobs/ticket-store"),
    ]);
    // what ingest-support-ticket's step does for an Intercom notification
    const ingest = async () =>
      store.upsertTicket(
        await admin(),
        ws.organizationId,
        null,
        await jobs.fetchIntercomConversation(bases().intercomApiBase, token, externalId),
      );
    const { ticketId } = await ingest();
    await processTicket(ticketId);
    expect((await ticketRow("intercom", externalId))?.language).toBe("es");

    const { postToTicket } = await import("@/lib/fixes/rca-jobs/post-to-ticket");
    expect(
      await postToTicket({ provider: "intercom", externalId }, token, RCA_TEXT, bases()),
    ).not.toBeNull();
    await ingest();
    const row = await ticketRow("intercom", externalId);
    expect(row?.messages).toBe(2);
    expect(row?.language).toBe("es");
    expect(await roles(ticketId)).toEqual(["customer", "agent"]);
    await processTicket(ticketId);
    expect((await ticketRow("intercom", externalId))?.language).toBe("es");
  }, 120_000);

  it("a new ticket still takes the provider's language until processing detects one", async () => {
    const { upsertTicket } = await import("@/lib/pipeline/jobs/ticket-store");
    const { fromZendesk } = await import("@/lib/pipeline/tickets");
    const at = new Date().toISOString();
    const ticket = (locale: string) =>
      fromZendesk({
        ticket: { id: 990_001, subject: "Hallo", requester_id: 7, created_at: at },
        comments: [{ id: 1, author_id: 7, body: "Hallo", created_at: at }],
        users: [{ id: 7, role: "end-user", locale }],
      });
    const { ticketId } = await upsertTicket(
      await admin(),
      ws.organizationId,
      null,
      ticket("de-DE"),
    );
    expect((await ticketRow("zendesk", "990001"))?.language).toBe("de");
    // a later delivery with another locale (the requester changed their profile) changes nothing
    await upsertTicket(await admin(), ws.organizationId, null, ticket("en-US"));
    expect((await ticketRow("zendesk", "990001"))?.id).toBe(ticketId);
    expect((await ticketRow("zendesk", "990001"))?.language).toBe("de");
  });
});
