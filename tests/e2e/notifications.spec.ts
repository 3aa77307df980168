import { expect, type Page, test } from "@playwright/test";
import { expectAccessible } from "./helpers/a11y";
import { dbQuery, devstackEnv } from "./helpers/devstack";
import { addMember } from "./helpers/pipeline-seed";
import { snap } from "./helpers/snap";
import {
  createConfirmedUser,
  createWorkspace,
  signIn,
  uniqueEmail,
  uniqueSlug,
} from "./helpers/users";

/**
 * Notifications as a workspace owner meets them: the bell counts unread notifications, lists
 * them, marks them read; Settings → Notifications turns an event off (and shows the locked ones
 * always on), after which that event no longer reaches the owner in the app: a new bug's
 * `bug/created` goes through the executor to the real in-app notifier before and after, and the
 * bell shows the first and not the second. The bell test's rows are written as the notify job
 * writes them (tests/integration/notifications covers the job itself).
 */

test.describe.configure({ mode: "serial" });

let owner: Page;
let slug: string;
let organizationId: string;
let userId: string;

async function notify(eventType: string, key: string, payload: Record<string, unknown>) {
  await dbQuery(
    `insert into public.notifications (organization_id, user_id, event_type, event_key, payload)
     values ($1, $2, $3, $4, $5)`,
    [organizationId, userId, eventType, key, JSON.stringify(payload)],
  );
}

/**
 * A new (non-critical) bug in the workspace and its `bug/created`, sent to the executor as
 * `process-ticket` sends it: the in-app notifier tells everyone with "new bug" on.
 */
async function bugCreated(): Promise<string> {
  const [bug] = await dbQuery<{ id: string }>(
    `insert into public.bugs (organization_id, title, severity, extraction_confidence, mapping_confidence, status)
     values ($1, 'Checkout total is off by a cent', 'medium', 0.9, 0.9, 'review') returning id`,
    [organizationId],
  );
  const bugId = bug?.id ?? "";
  const res = await fetch(`${devstackEnv("INNGEST_BASE_URL")}/e/e2e`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      name: "bug/created",
      id: `bug-created:${bugId}`,
      data: { organizationId, bugId },
    }),
  });
  expect(res.status).toBe(200);
  return bugId;
}

/** Who the notifier told about the bug in the app. */
async function toldAbout(bugId: string): Promise<string[]> {
  const rows = await dbQuery<{ user_id: string }>(
    "select user_id from public.notifications where organization_id = $1 and event_key = $2",
    [organizationId, `bug_created:${bugId}`],
  );
  return rows.map((r) => r.user_id).sort();
}

let memberId: string;

test.beforeAll(async ({ browser }, testInfo) => {
  const email = uniqueEmail(testInfo, "notify");
  await createConfirmedUser(email);
  owner = await (await browser.newContext()).newPage();
  await signIn(owner, email);
  slug = uniqueSlug("notify");
  await createWorkspace(owner, "Notify Co", slug);
  const [row] = await dbQuery<{ organization_id: string; user_id: string }>(
    `select m.organization_id, m.user_id from public.memberships m
       join public.organizations o on o.id = m.organization_id where o.slug = $1`,
    [slug],
  );
  organizationId = row?.organization_id ?? "";
  userId = row?.user_id ?? "";
  // a teammate who keeps "new bug" on: once they are told, the notifier's run is done (it writes
  // every recipient in one insert), so the owner's absence is its decision, not a delay
  const memberEmail = uniqueEmail(testInfo, "notify-member");
  await createConfirmedUser(memberEmail);
  await addMember(slug, memberEmail, "member");
  const [member] = await dbQuery<{ id: string }>("select id from auth.users where email = $1", [
    memberEmail,
  ]);
  memberId = member?.id ?? "";
});

test("the bell counts unread notifications, lists them and marks them read", async ({
  page: _,
}, testInfo) => {
  await owner.goto(`/${slug}`);
  await expect(owner.getByTestId("notification-count")).toHaveCount(0);
  const bug = crypto.randomUUID();
  await notify("critical_bug", `critical_bug:${bug}`, { bugId: bug, severity: "critical" });
  await notify("usage_warning", `usage_warning:${crypto.randomUUID()}`, { threshold: 80 });
  await owner.reload();
  await expect(owner.getByTestId("notification-count")).toHaveText("2");
  await owner.getByTestId("notification-bell").click();
  const list = owner.getByTestId("notification-list");
  await expect(list.getByTestId("notification-item")).toHaveCount(2);
  await expect(list).toContainText("Critical bug");
  await expect(list).toContainText("80% of the Mapped Bug allowance used");
  await snap(owner, testInfo, "notification-bell-open");
  await owner.getByTestId("notification-mark-all").click();
  await expect(owner.getByTestId("notification-count")).toHaveCount(0);
  await expectAccessible(owner);
  await owner.reload();
  await expect(owner.getByTestId("notification-count")).toHaveCount(0);
  const unread = await dbQuery<{ n: string }>(
    "select count(*) as n from public.notifications where user_id = $1 and read_at is null",
    [userId],
  );
  expect(Number(unread[0]?.n)).toBe(0);
});

test("turning an event off in Settings → Notifications stops it; locked ones stay on", async ({
  page: _,
}, testInfo) => {
  // on (the default): a new bug reaches the owner's bell
  const before = await bugCreated();
  await expect
    .poll(() => toldAbout(before), { timeout: 30_000 })
    .toEqual([userId, memberId].sort());
  await owner.goto(`/${slug}`);
  await expect(owner.getByTestId("notification-count")).toHaveText("1");
  await owner.getByTestId("notification-bell").click();
  await expect(
    owner.getByTestId("notification-item").filter({ hasText: "New medium bug" }),
  ).toHaveCount(1);
  await owner.getByTestId("notification-mark-all").click();
  await expect(owner.getByTestId("notification-count")).toHaveCount(0);

  await owner.goto(`/${slug}/settings/notifications`);
  await expect(owner.getByRole("heading", { name: "Notifications" })).toBeVisible();
  // locked: shown on, cannot be changed
  await expect(owner.getByTestId("pref-critical_bug.in_app")).toBeChecked();
  await expect(owner.getByTestId("pref-critical_bug.in_app")).toBeDisabled();
  await expect(owner.getByTestId("pref-bug_created.in_app")).toBeChecked();
  await snap(owner, testInfo, "notification-settings");
  await expectAccessible(owner);
  await owner.getByTestId("pref-bug_created.in_app").uncheck();
  await owner.getByTestId("preferences-save").click();
  await expect(owner.getByText("Notification settings saved.")).toBeVisible();
  await owner.reload();
  await expect(owner.getByTestId("pref-bug_created.in_app")).not.toBeChecked();
  await expect(owner.getByTestId("pref-critical_bug.in_app")).toBeChecked();
  // who the notifier would tell about a new bug now: nobody in the app
  const recipients = await dbQuery<{ in_app: boolean }>(
    "select in_app from public.notification_recipients($1, 'bug_created') where user_id = $2",
    [organizationId, userId],
  );
  expect(recipients).toEqual([{ in_app: false }]);
  const critical = await dbQuery<{ in_app: boolean }>(
    "select in_app from public.notification_recipients($1, 'critical_bug') where user_id = $2",
    [organizationId, userId],
  );
  expect(critical).toEqual([{ in_app: true }]);

  // off: the next new bug goes through the same notifier; the teammate is told, the owner not
  const after = await bugCreated();
  await expect.poll(() => toldAbout(after), { timeout: 30_000 }).toEqual([memberId]);
  await owner.goto(`/${slug}`);
  await expect(owner.getByTestId("notification-count")).toHaveCount(0);
  await owner.getByTestId("notification-bell").click();
  await expect(
    owner.getByTestId("notification-item").filter({ hasText: "New medium bug" }),
  ).toHaveCount(1);
  await snap(owner, testInfo, "notification-bell-after-off");
});
