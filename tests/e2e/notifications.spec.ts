import { expect, type Page, test } from "@playwright/test";
import { expectAccessible } from "./helpers/a11y";
import { dbQuery } from "./helpers/devstack";
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
 * always on), after which that event no longer reaches the owner in the app. The rows are written
 * as the notify job writes them (tests/integration/notifications covers the job itself).
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
});
