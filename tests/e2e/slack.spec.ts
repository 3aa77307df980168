import { expect, type Page, test } from "@playwright/test";
import { Inngest } from "inngest";
import { expectAccessible } from "./helpers/a11y";
import { dbQuery, devstackEnv, sandboxTokens } from "./helpers/devstack";
import { snap } from "./helpers/snap";
import {
  createConfirmedUser,
  createWorkspace,
  signIn,
  uniqueEmail,
  uniqueSlug,
} from "./helpers/users";

/**
 * Slack as a workspace owner meets it: Settings → Notifications → "Connect Slack" through the
 * Slack sandbox's OAuth page, back connected (the bot token sealed); a channel chosen per event,
 * the "invite the bot" hint for the channel the bot is not in; a new critical bug (the pipeline's
 * `bug/created`, sent to the executor the app is synced with) posted by the app's notify-slack
 * function into the chosen channel, seen in the sandbox's control record; a bug for the channel
 * the bot is not in recorded as `not_in_channel` and shown on the page; disconnect revokes the
 * token at Slack.
 */

test.describe.configure({ mode: "serial" });

let owner: Page;
let slug: string;
let organizationId: string;
let bugsChannel: { id: string; name: string };
let alertsChannel: { id: string; name: string };

interface SandboxMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown;
}

async function control<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${devstackEnv("SANDBOX_URL")}/_control${path}`, {
    method: body ? "POST" : "GET",
    headers: { "content-type": "application/json" },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

async function newChannel(name: string, member: boolean) {
  const unique = `${name}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const { channel } = await control<{ channel: { id: string; name: string } }>("/slack/channels", {
    name: unique,
    member,
  });
  return channel;
}

const messagesIn = async (channel: string) =>
  (await control<{ messages: SandboxMessage[] }>(`/slack/messages?channel=${channel}`)).messages;

/** What the pipeline does when it stores a bug: the bug row, then `bug/created`. */
async function newBug(severity: string): Promise<string> {
  const [row] = await dbQuery<{ id: string }>(
    `insert into public.bugs (organization_id, title, severity, extraction_confidence, status)
     values ($1, 'Refund for Dana Doe never arrived', $2, 0.9, 'mapped') returning id`,
    [organizationId, severity],
  );
  const bugId = row?.id ?? "";
  const inngest = new Inngest({
    id: "e2e-slack",
    isDev: true,
    baseUrl: devstackEnv("INNGEST_BASE_URL"),
  });
  await inngest.send({
    name: "bug/created",
    data: { organizationId, bugId },
    id: `bug-created:${bugId}`,
  });
  return bugId;
}

test.beforeAll(async ({ browser }, testInfo) => {
  const email = uniqueEmail(testInfo, "slack");
  await createConfirmedUser(email);
  owner = await (await browser.newContext()).newPage();
  await signIn(owner, email);
  slug = uniqueSlug("slack");
  await createWorkspace(owner, "Slack Co", slug);
  const [row] = await dbQuery<{ id: string }>(
    "select id from public.organizations where slug = $1",
    [slug],
  );
  organizationId = row?.id ?? "";
  bugsChannel = await newChannel("bugs", true);
  alertsChannel = await newChannel("alerts", false);
});

test("connect Slack through its OAuth page, choose channels, see the invite hint", async ({
  page: _,
}, testInfo) => {
  await owner.goto(`/${slug}/settings/notifications`);
  const card = owner.getByTestId("slack-card");
  await expect(card).toContainText("Not connected");
  await snap(owner, testInfo, "slack-not-connected");
  await owner.getByTestId("slack-connect").click();
  await expect(owner.getByTestId("sandbox-consent")).toBeVisible();
  await expect(owner.getByTestId("sandbox-consent")).toContainText("chat:write");
  await snap(owner, testInfo, "slack-consent");
  await owner.getByTestId("sandbox-allow").click();

  await expect(owner).toHaveURL(new RegExp(`/${slug}/settings/notifications\\?slack=connected`));
  await expect(owner.getByTestId("slack-outcome")).toContainText("Slack connected");
  await expect(owner.getByTestId("slack-status")).toContainText(
    "Connected to Acme (Slack sandbox)",
  );
  const [stored] = await dbQuery<{ bot_token_enc: string; team_id: string }>(
    "select bot_token_enc, team_id from public.slack_connections where organization_id = $1",
    [organizationId],
  );
  expect(stored?.bot_token_enc).toMatch(/^v1\./);
  const issued = (await sandboxTokens({ provider: "slack" })).filter((t) => t.status === "active");
  expect(issued.length).toBeGreaterThan(0);
  for (const t of issued) expect(stored?.bot_token_enc).not.toContain(t.value);

  await owner.getByTestId("slack-channel-critical_bug").selectOption(bugsChannel.id);
  await owner.getByTestId("slack-channel-bug_created").selectOption(alertsChannel.id);
  await owner.getByTestId("slack-channels-save").click();
  await expect(owner.getByText(`Invite Patchline to #${alertsChannel.name}`)).toBeVisible();
  // the saved choices stay shown
  await expect(owner.getByTestId("slack-channel-critical_bug")).toHaveValue(bugsChannel.id);
  await expect(owner.getByTestId("slack-channel-bug_created")).toHaveValue(alertsChannel.id);
  await expect(owner.getByTestId("slack-hint-bug_created")).toContainText(
    `Patchline is not in #${alertsChannel.name}`,
  );
  await expect(owner.getByTestId("slack-hint-bug_created")).toContainText("/invite @Patchline");
  await expect(owner.getByTestId("slack-hint-critical_bug")).toHaveCount(0);
  await expectAccessible(owner);
  await snap(owner, testInfo, "slack-channels-chosen");
});

test("a new critical bug is posted to its channel; one for a channel without the bot is recorded", async ({
  page: _,
}, testInfo) => {
  const critical = await newBug("critical");
  await expect
    .poll(async () => (await messagesIn(bugsChannel.id)).length, { timeout: 60_000 })
    .toBe(1);
  const [message] = await messagesIn(bugsChannel.id);
  expect(message?.text).toContain("Critical bug");
  expect(message?.text).toContain(`/${slug}/bugs/${critical}`);
  // the message never quotes the ticket or names the customer
  expect(JSON.stringify(message)).not.toContain("Dana");

  await newBug("low");
  await expect
    .poll(
      async () =>
        (
          await dbQuery<{ delivery_error: string | null }>(
            `select delivery_error from public.slack_channel_routes
              where organization_id = $1 and event_type = 'bug_created'`,
            [organizationId],
          )
        )[0]?.delivery_error ?? null,
      { timeout: 60_000 },
    )
    .toBe("not_in_channel");
  expect(await messagesIn(alertsChannel.id)).toHaveLength(0);
  await owner.goto(`/${slug}/settings/notifications`);
  await expect(owner.getByTestId("slack-hint-bug_created")).toContainText("/invite @Patchline");
  await expect(owner.getByTestId("slack-channel-bug_created")).toHaveValue(alertsChannel.id);
  await snap(owner, testInfo, "slack-not-in-channel");
});

test("disconnect revokes the bot token at Slack", async ({ page: _ }, testInfo) => {
  await owner.goto(`/${slug}/settings/notifications`);
  await owner.getByTestId("slack-disconnect").click();
  await snap(owner, testInfo, "slack-disconnect-dialog");
  await owner.getByTestId("slack-disconnect-dialog-confirm").click();
  await expect(owner.getByTestId("slack-card")).toContainText("Not connected");
  expect(
    await dbQuery("select 1 from public.slack_connections where organization_id = $1", [
      organizationId,
    ]),
  ).toHaveLength(0);
  const [audit] = await dbQuery<{ metadata: { token_revoked: boolean } }>(
    `select metadata from public.audit_log where organization_id = $1
      and action = 'integration.disconnected' order by created_at desc limit 1`,
    [organizationId],
  );
  expect(audit?.metadata.token_revoked).toBe(true);
});
