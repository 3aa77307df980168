import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { serveApp, syncApp, waitForRun } from "@/scripts/lib/inngest-harness";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";
import { buildPipelineWorld, type PipelineWorld } from "@/supabase/tests/helpers/pipeline-fixtures";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import { usePipelineEnv } from "@/tests/integration/pipeline/fixtures";

vi.mock("server-only", () => ({}));

/**
 * Slack notifications end to end against the devstack: the Slack sandbox (OAuth v2 code → bot
 * token through `@slack/web-api`), real Postgres and the executor. A critical bug is posted once
 * to the chosen channel, through a 429, an outage and an answer lost after the post (the retry
 * finds the post by its metadata instead of posting again), and again not when the event is
 * delivered twice; a channel the bot is not in records `not_in_channel` on the route (the page's
 * "invite the bot" hint); the bug's message is edited in place (same ts) when its PR's CI
 * changes; a revoked token marks the connection for reconnecting.
 */

const APP_ID = "slack-test";
const sandbox = () => devstackEnv().SANDBOX_URL;
const executorUrl = () => devstackEnv().INNGEST_BASE_URL;
let app: Awaited<ReturnType<typeof serveApp>>;
let inngest: Inngest;
let events: typeof import("@/inngest/events");
let world: PipelineWorld;
let bugsChannel: string;
let outsideChannel: string;
let token: string;

interface SandboxMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown;
  metadata: { event_type: string; event_payload: Record<string, unknown> } | null;
  edits: { text: string }[];
}

async function control<T>(path: string, init?: { method?: string; body?: unknown }): Promise<T> {
  const res = await fetch(`${sandbox()}/_control${path}`, {
    method: init?.method ?? (init?.body ? "POST" : "GET"),
    headers: { "content-type": "application/json" },
    body: init?.body ? JSON.stringify(init.body) : undefined,
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const messagesIn = async (channel: string) =>
  (await control<{ messages: SandboxMessage[] }>(`/slack/messages?channel=${channel}`)).messages;

async function newChannel(name: string, member: boolean): Promise<string> {
  const unique = `${name}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return (
    await control<{ channel: { id: string } }>("/slack/channels", {
      body: { name: unique, member },
    })
  ).channel.id;
}

/** The sandbox's OAuth v2: authorize (Allow) → code → oauth.v2.access, as the app's callback does. */
async function installBot(): Promise<{
  access_token: string;
  team: { id: string; name: string };
  bot_user_id: string;
}> {
  const creds = await control<Record<string, string>>("/credentials");
  // the site the devstack registered as the app's redirect origin (the sandbox checks it)
  const redirectUri = `${devstackEnv().NEXT_PUBLIC_SITE_URL}/api/integrations/slack/callback`;
  const form = new URLSearchParams({
    client_id: creds.SLACK_CLIENT_ID ?? "",
    scope: "chat:write,channels:read,channels:history",
    redirect_uri: redirectUri,
    state: "s1",
    decision: "allow",
  });
  const res = await fetch(`${sandbox()}/slack/oauth/v2/authorize`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form,
    redirect: "manual",
  });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get("location") ?? "");
  expect(location.searchParams.get("state")).toBe("s1");
  const code = location.searchParams.get("code") ?? "";
  const { slackClient } = await import("@/lib/integrations/slack/client");
  const answer = await slackClient().oauth.v2.access({
    client_id: creds.SLACK_CLIENT_ID ?? "",
    client_secret: creds.SLACK_CLIENT_SECRET ?? "",
    code,
    redirect_uri: redirectUri,
  });
  // a code works once
  await expect(
    slackClient().oauth.v2.access({
      client_id: creds.SLACK_CLIENT_ID ?? "",
      client_secret: creds.SLACK_CLIENT_SECRET ?? "",
      code,
      redirect_uri: redirectUri,
    }),
  ).rejects.toMatchObject({ data: { ok: false, error: "invalid_code" } });
  return answer as never;
}

async function connect(
  organizationId: string,
  botToken: string,
  team: { id: string; name: string },
  botUserId: string,
) {
  const { randomUUID } = await import("node:crypto");
  const { sealSecret } = await import("@/lib/integrations/secrets");
  const id = randomUUID();
  await asSuperuser("delete from public.slack_connections where organization_id = $1", [
    organizationId,
  ]);
  await asSuperuser(
    `insert into public.slack_connections (id, organization_id, team_id, team_name, bot_user_id, bot_token_enc)
     values ($1, $2, $3, $4, $5, $6)`,
    [
      id,
      organizationId,
      team.id,
      team.name,
      botUserId,
      sealSecret(
        { organizationId, table: "slack_connections", rowId: id, column: "bot_token_enc" },
        botToken,
      ),
    ],
  );
}

async function route(organizationId: string, eventType: string, channelId: string) {
  await asSuperuser(
    `insert into public.slack_channel_routes (organization_id, event_type, channel_id, channel_name)
     values ($1, $2, $3, 'chosen')
     on conflict (organization_id, event_type) do update set channel_id = excluded.channel_id`,
    [organizationId, eventType, channelId],
  );
}

async function newBug(organizationId: string, severity: string): Promise<string> {
  const [row] = await asSuperuser<{ id: string }>(
    `insert into public.bugs (organization_id, title, severity, extraction_confidence, status)
     values ($1, 'Casey Customer: checkout total wrong for casey@customer.example', $2, 0.9, 'mapped')
     returning id`,
    [organizationId, severity],
  );
  if (!row) throw new Error("bug not created");
  return row.id;
}

async function notify(event: { name: string; data: unknown; id?: string }) {
  const { ids } = await inngest.send(event as Parameters<typeof inngest.send>[0]);
  const run = await waitForRun(executorUrl(), `${APP_ID}-notify-slack`, ids[0] ?? "", 90_000);
  expect(run.status, JSON.stringify(run.error)).toBe("completed");
  return run;
}

async function ledger(organizationId: string) {
  return asSuperuser<{
    event_key: string;
    status: string;
    ts: string | null;
    attempts: number;
    last_error: string | null;
    bug_id: string | null;
  }>(
    `select event_key, status, ts, attempts, last_error, bug_id from public.slack_messages
      where organization_id = $1 order by created_at`,
    [organizationId],
  );
}

beforeAll(async () => {
  usePipelineEnv();
  const env = devstackEnv();
  for (const name of ["SLACK_API_URL", "SLACK_OAUTH_BASE"]) {
    const value = env[name];
    if (!value) throw new Error(`${name} missing from the devstack env file`);
    process.env[name] = value;
  }
  (await import("@/lib/env")).resetEnvCacheForTests();
  events = await import("@/inngest/events");
  inngest = new Inngest({ id: APP_ID, isDev: true, baseUrl: executorUrl() });
  const [slack, update] = await Promise.all([
    import("@/inngest/functions/notify-slack"),
    import("@/inngest/functions/slack-update-bug-message"),
  ]);
  app = await serveApp(inngest, [
    slack.defineNotifySlack(inngest),
    update.defineSlackUpdateBugMessage(inngest),
  ]);
  await syncApp(executorUrl(), app.url);
  world = await buildPipelineWorld("slack");
  bugsChannel = await newChannel("bugs", true);
  outsideChannel = await newChannel("alerts", false);
  const installed = await installBot();
  token = installed.access_token;
  expect(token).toMatch(/^xoxb-/);
  await connect(world.orgA.id, token, installed.team, installed.bot_user_id);
}, 180_000);

afterAll(async () => {
  await control("/slack/faults", { method: "DELETE" }).catch(() => undefined);
  await app?.close();
  await closeDb();
});

describe("notifications: Slack", () => {
  let criticalBug: string;

  it("lists the bot's channels with whether it is in each (conversations.list through the SDK)", async () => {
    const { listSlackChannels } = await import("@/lib/integrations/slack/connection");
    const channels = await listSlackChannels(token);
    expect(channels.find((c) => c.id === bugsChannel)).toMatchObject({ isMember: true });
    expect(channels.find((c) => c.id === outsideChannel)).toMatchObject({ isMember: false });
  });

  it("posts a critical bug once through a 429, an outage and a lost answer, and not on redelivery", async () => {
    const org = world.orgA.id;
    await route(org, "critical_bug", bugsChannel);
    criticalBug = await newBug(org, "critical");
    // first attempt: rate limited; second: outage; third: posted, answer lost; fourth: finds it
    await control("/slack/faults", {
      body: {
        method: "chat.postMessage",
        channel: bugsChannel,
        kind: "ratelimited",
        retry_after: 1,
        times: 1,
      },
    });
    await control("/slack/faults", {
      body: { method: "chat.postMessage", channel: bugsChannel, kind: "server_error", times: 1 },
    });
    await control("/slack/faults", {
      body: { method: "chat.postMessage", channel: bugsChannel, kind: "lost_answer", times: 1 },
    });
    // the order the faults are taken in is the order they were added: 429, 503, lost answer
    const run = await notify(
      events.bugCreated.create(
        { organizationId: org, bugId: criticalBug },
        { id: `bug-created:${criticalBug}` },
      ),
    );
    expect(run.output).toMatchObject({ type: "critical_bug", outcome: "posted", found: true });
    const posted = await messagesIn(bugsChannel);
    expect(posted).toHaveLength(1);
    const [message] = posted;
    const rows = await ledger(org);
    expect(rows).toEqual([
      expect.objectContaining({
        event_key: `critical_bug:${criticalBug}`,
        status: "posted",
        ts: message?.ts,
        bug_id: criticalBug,
      }),
    ]);
    // three posts were attempted (429, 503, the lost one); the fourth attempt looked and found it
    expect(rows[0]?.attempts).toBe(3);
    expect(message?.metadata).toMatchObject({ event_type: "patchline_notification" });
    expect(message?.text).toContain("Critical bug");
    // no ticket text, customer name or address
    const said = JSON.stringify(message);
    for (const secret of ["Casey", "casey@customer.example", "checkout total wrong"])
      expect(said.toLowerCase()).not.toContain(secret.toLowerCase());

    // the same domain event again (another event id): nothing new is posted
    const again = await notify(
      events.bugCreated.create({ organizationId: org, bugId: criticalBug }),
    );
    expect(again.output).toMatchObject({ outcome: "already_posted", ts: message?.ts });
    expect(await messagesIn(bugsChannel)).toHaveLength(1);
  }, 180_000);

  it("records not_in_channel on the route when the bot is not in the chosen channel, and posts once invited", async () => {
    const org = world.orgA.id;
    await route(org, "bug_created", outsideChannel);
    const bug = await newBug(org, "low");
    const run = await notify(events.bugCreated.create({ organizationId: org, bugId: bug }));
    expect(run.output).toMatchObject({
      outcome: "refused",
      error: "not_in_channel",
      failure: "channel",
    });
    const [routeRow] = await asSuperuser<{ delivery_error: string | null }>(
      "select delivery_error from public.slack_channel_routes where organization_id = $1 and event_type = 'bug_created'",
      [org],
    );
    expect(routeRow?.delivery_error).toBe("not_in_channel");
    expect(await messagesIn(outsideChannel)).toHaveLength(0);

    // "/invite @Patchline": the next bug is posted and the recorded refusal cleared
    await control(`/slack/channels/${outsideChannel}/membership`, { body: { member: true } });
    const next = await newBug(org, "low");
    const ok = await notify(events.bugCreated.create({ organizationId: org, bugId: next }));
    expect(ok.output).toMatchObject({ outcome: "posted" });
    expect(await messagesIn(outsideChannel)).toHaveLength(1);
    const [cleared] = await asSuperuser<{ delivery_error: string | null }>(
      "select delivery_error from public.slack_channel_routes where organization_id = $1 and event_type = 'bug_created'",
      [org],
    );
    expect(cleared?.delivery_error).toBeNull();
  }, 180_000);

  it("updates the bug's message in place (chat.update, same ts) as its PR's CI changes", async () => {
    const org = world.orgA.id;
    const [pr] = await asSuperuser<{ id: string }>(
      `insert into public.pull_requests (organization_id, bug_id, repository_id, number, url, origin, state, checks_state)
       values ($1, $2, $3, 12, 'https://github.com/acme/storefront/pull/12', 'drafted', 'open', 'pending')
       returning id`,
      [org, criticalBug, world.a.repositoryId],
    );
    const before = (await messagesIn(bugsChannel))[0];
    const changed = async (deliveryId: string) => {
      const { ids } = await inngest.send(
        events.bugPullRequestChanged.create({
          organizationId: org,
          bugId: criticalBug,
          deliveryId,
        }),
      );
      const run = await waitForRun(
        executorUrl(),
        `${APP_ID}-slack-update-bug-message`,
        ids[0] ?? "",
        60_000,
      );
      expect(run.status, JSON.stringify(run.error)).toBe("completed");
      return run.output;
    };
    expect(await changed("d1")).toMatchObject({ updated: 1, unchanged: 0 });
    await asSuperuser(
      "update public.pull_requests set checks_state = 'passing', review_state = 'approved' where id = $1",
      [pr?.id],
    );
    // an outage first: the step retries and edits once
    await control("/slack/faults", {
      body: { method: "chat.update", channel: bugsChannel, kind: "server_error", times: 1 },
    });
    expect(await changed("d2")).toMatchObject({ updated: 1 });
    // the same state again: nothing to say, no edit
    expect(await changed("d3")).toMatchObject({ updated: 0, unchanged: 1 });

    const after = await messagesIn(bugsChannel);
    expect(after).toHaveLength(1);
    expect(after[0]?.ts).toBe(before?.ts);
    expect(after[0]?.edits).toHaveLength(2);
    expect(after[0]?.edits[0]?.text).toContain("CI running");
    expect(after[0]?.text).toContain("CI passing");
    // the repository is named as the integration knows it (owner/name), with the PR number
    expect(JSON.stringify(after[0]?.blocks)).toMatch(
      /\/shop#12> · open · :white_check_mark: CI passing · approved/,
    );
  }, 180_000);

  it("marks the connection for reconnecting when Slack refuses the token, and posts nothing", async () => {
    const org = world.orgA.id;
    await control("/tokens/revoke", { body: { token } });
    const bug = await newBug(org, "critical");
    const run = await notify(events.bugCreated.create({ organizationId: org, bugId: bug }));
    expect(run.output).toMatchObject({
      outcome: "refused",
      error: "invalid_auth",
      failure: "auth",
    });
    const [row] = await asSuperuser<{ status: string; last_error: string }>(
      "select status, last_error from public.slack_connections where organization_id = $1",
      [org],
    );
    expect(row?.status).toBe("error");
    expect(row?.last_error).toContain("Reconnect Slack");
    expect((await messagesIn(bugsChannel)).map((m) => m.ts)).toHaveLength(1);
    // the token is nowhere in the ledger
    const stored = await asSuperuser<{ t: string }>(
      "select row_to_json(m)::text as t from public.slack_messages m where organization_id = $1",
      [org],
    );
    for (const r of stored) expect(r.t).not.toContain(token);
  }, 120_000);
});
