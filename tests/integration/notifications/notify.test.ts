import { randomUUID } from "node:crypto";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { serveApp, syncApp, waitFor, waitForRun } from "@/scripts/lib/inngest-harness";
import { asSuperuser, buildWorld, closeDb, type World } from "@/supabase/tests/helpers/db";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import { usePipelineEnv } from "@/tests/integration/pipeline/fixtures";

vi.mock("server-only", () => ({}));
// the unsubscribe route runs here outside a Next request: its guard's cookie store is empty, as
// for a mail client's one-click POST, which carries no session
vi.mock("next/headers", () => ({
  cookies: async () => ({ getAll: () => [], get: () => undefined, set: () => {} }),
  headers: async () => new Headers(),
}));

/**
 * Notifications end to end against the devstack (real Postgres, the executor, the mailbox):
 * a critical bug reaches every member in the app and by email exactly once, even when the mail
 * transport loses its answer and the step is retried, and when the event is delivered again;
 * admin-only events skip members and viewers; the email's one-click unsubscribe (RFC 8058 POST)
 * turns that event's email off for that person, and only that.
 */

const APP_ID = "notify-test";
const executorUrl = () => devstackEnv().INNGEST_BASE_URL;
let app: Awaited<ReturnType<typeof serveApp>>;
let inngest: Inngest;
let events: typeof import("@/inngest/events");
let world: World;
let sends = 0;
let lostAnswers = 0;

interface Mail {
  id: string;
  to: string;
  subject: string;
  text: string | null;
  headers: Record<string, string>;
}

async function mailTo(to: string): Promise<Mail[]> {
  const res = await fetch(
    `${devstackEnv().MAILBOX_URL}/api/v1/messages?to=${encodeURIComponent(to)}&limit=100`,
  );
  return ((await res.json()) as { messages: Mail[] }).messages;
}

async function inbox(userId: string, organizationId: string) {
  return asSuperuser<{ event_type: string; event_key: string; payload: Record<string, unknown> }>(
    `select event_type, event_key, payload from public.notifications
      where user_id = $1 and organization_id = $2 order by created_at`,
    [userId, organizationId],
  );
}

async function newBug(organizationId: string, severity: string): Promise<string> {
  const [row] = await asSuperuser<{ id: string }>(
    `insert into public.bugs (organization_id, title, severity, extraction_confidence, status)
     values ($1, 'Checkout total wrong', $2, 0.9, 'mapped') returning id`,
    [organizationId, severity],
  );
  if (!row) throw new Error("bug not created");
  return row.id;
}

/** Sends the event and waits for both channels' runs of it to end; returns their outputs. */
async function deliver(event: { name: string; data: unknown; id?: string }) {
  const { ids } = await inngest.send(event as Parameters<typeof inngest.send>[0]);
  const eventId = ids[0] ?? "";
  const [inApp, email] = await Promise.all([
    waitForRun(executorUrl(), `${APP_ID}-notify-in-app`, eventId, 30_000),
    waitForRun(executorUrl(), `${APP_ID}-notify-email`, eventId, 60_000),
  ]);
  expect(inApp.status, JSON.stringify(inApp.error)).toBe("completed");
  expect(email.status, JSON.stringify(email.error)).toBe("completed");
  return { inApp, email };
}

beforeAll(async () => {
  usePipelineEnv();
  (await import("@/lib/env")).resetEnvCacheForTests();
  events = await import("@/inngest/events");
  // the real mailbox, except that the first send to each address "loses its answer": the mail
  // is accepted, then the transport throws, as a timeout after delivery would
  const mail = await import("@/lib/mail");
  const { createMailboxTransport } = await import("@/lib/mail/mailbox-transport");
  const real = createMailboxTransport({ mailboxUrl: devstackEnv().MAILBOX_URL, from: "t@t" });
  const seen = new Set<string>();
  mail.setMailTransportForTests({
    name: "flaky-mailbox",
    async send(message) {
      sends += 1;
      const result = await real.send(message);
      if (!seen.has(message.to)) {
        seen.add(message.to);
        lostAnswers += 1;
        throw new Error("answer lost");
      }
      return result;
    },
  });
  inngest = new Inngest({ id: APP_ID, isDev: true, baseUrl: executorUrl() });
  const [inApp, email, warnings] = await Promise.all([
    import("@/inngest/functions/notify-in-app"),
    import("@/inngest/functions/notify-email"),
    import("@/inngest/functions/notify-usage-warnings"),
  ]);
  app = await serveApp(inngest, [
    inApp.defineNotifyInApp(inngest),
    email.defineNotifyEmail(inngest),
    warnings.defineNotifyUsageWarnings(inngest),
  ]);
  await syncApp(executorUrl(), app.url);
  world = await buildWorld("notify");
}, 120_000);

afterAll(async () => {
  (await import("@/lib/mail")).setMailTransportForTests(undefined);
  await app?.close();
  await closeDb();
});

describe("notifications: in-app and email", () => {
  let criticalBug: string;

  it("tells every member of a critical bug in the app and by email, once, through a lost answer", async () => {
    const org = world.orgA.id;
    criticalBug = await newBug(org, "critical");
    const { email } = await deliver(
      events.bugCreated.create(
        { organizationId: org, bugId: criticalBug },
        { id: `bug-created:${criticalBug}` },
      ),
    );
    for (const role of ["owner", "admin", "member", "viewer"] as const) {
      const rows = await inbox(world.users[role].id, org);
      expect(rows, role).toEqual([
        {
          event_type: "critical_bug",
          event_key: `critical_bug:${criticalBug}`,
          payload: { bugId: criticalBug, severity: "critical", status: "mapped" },
        },
      ]);
      const mails = await mailTo(world.users[role].email);
      expect(mails, role).toHaveLength(1);
      expect(mails[0]?.subject).toContain("Critical bug");
      // no ticket text in the mail: the title stays on the page
      expect(mails[0]?.text).not.toContain("Checkout total wrong");
      expect(mails[0]?.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    }
    // each recipient's first send lost its answer and was retried with the same key
    expect(lostAnswers).toBe(4);
    expect(sends).toBe(8);
    expect(
      email.steps.filter((s) => s.name?.startsWith("email-")).every((s) => s.attempts >= 1),
    ).toBe(true);
    const ledger = await asSuperuser<{ status: string; attempts: number }>(
      "select status, attempts from public.notification_deliveries where event_key = $1",
      [`critical_bug:${criticalBug}`],
    );
    expect(ledger.map((l) => l.status)).toEqual(["sent", "sent", "sent", "sent"]);
    expect(ledger.every((l) => l.attempts === 2)).toBe(true);
  }, 120_000);

  it("writes and sends nothing more when the same occurrence is delivered again", async () => {
    const org = world.orgA.id;
    const before = sends;
    const { email } = await deliver(
      events.bugCreated.create(
        { organizationId: org, bugId: criticalBug },
        { id: `bug-created:${criticalBug}:again-${randomUUID()}` },
      ),
    );
    expect(email.output).toMatchObject({ sent: 0 });
    expect(sends).toBe(before);
    for (const role of ["owner", "admin", "member", "viewer"] as const) {
      expect(await inbox(world.users[role].id, org), role).toHaveLength(1);
      expect(await mailTo(world.users[role].email), role).toHaveLength(1);
    }
  }, 120_000);

  it("tells owners and admins of an admin-only event, never members or viewers", async () => {
    const org = world.orgA.id;
    // the owner opted into usage-warning email; the admin kept the default (in the app only)
    await asSuperuser(
      `insert into public.notification_preferences (organization_id, user_id, event_type, in_app, email)
       values ($1, $2, 'usage_warning', false, true)`,
      [org, world.users.owner.id],
    );
    const warningId = randomUUID();
    await deliver(
      events.usageWarningRaised.create(
        { organizationId: org, warningId, threshold: 80 },
        { id: `usage-warning:${warningId}` },
      ),
    );
    const types = async (role: "owner" | "admin" | "member" | "viewer") =>
      (await inbox(world.users[role].id, org)).map((r) => r.event_type);
    // in the app always (locked on, whatever the owner chose)
    expect(await types("owner")).toContain("usage_warning");
    expect(await types("admin")).toContain("usage_warning");
    expect(await types("member")).not.toContain("usage_warning");
    expect(await types("viewer")).not.toContain("usage_warning");
    const subjects = async (role: "owner" | "admin" | "member" | "viewer") =>
      (await mailTo(world.users[role].email)).map((m) => m.subject);
    expect((await subjects("owner")).some((s) => s.includes("80%"))).toBe(true);
    expect((await subjects("admin")).some((s) => s.includes("80%"))).toBe(false);
    expect((await subjects("member")).some((s) => s.includes("80%"))).toBe(false);
    expect((await subjects("viewer")).some((s) => s.includes("80%"))).toBe(false);
  }, 120_000);

  it("the email's one-click unsubscribe turns that email off for that person only", async () => {
    const org = world.orgA.id;
    const [mail] = await mailTo(world.users.member.email);
    const link = /^<(.+)>$/.exec(mail?.headers["List-Unsubscribe"] ?? "")?.[1];
    expect(link).toMatch(/\/unsubscribe\?token=/);
    const { GET, POST } = await import("@/app/unsubscribe/route");
    const noParams = { params: Promise.resolve({}) };
    // opening the link (a person, or a mail scanner) changes nothing
    const page = await GET(new Request(link ?? ""), noParams);
    expect(page.status, await page.clone().text()).toBe(200);
    expect(await page.text()).toContain("Stop these emails");
    expect(
      await asSuperuser(
        "select 1 from public.notification_preferences where user_id = $1 and event_type = 'critical_bug'",
        [world.users.member.id],
      ),
    ).toHaveLength(0);
    // a forged token is refused
    const forged = await POST(
      new Request(`${link?.slice(0, -3)}AAA`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      }),
      noParams,
    );
    expect(forged.status).toBe(400);
    // the mail client's RFC 8058 one-click POST
    const done = await POST(
      new Request(link ?? "", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      }),
      noParams,
    );
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("You are unsubscribed");

    const next = await newBug(org, "critical");
    await deliver(
      events.bugCreated.create({ organizationId: org, bugId: next }, { id: `bug-created:${next}` }),
    );
    // still in the app (critical bugs are locked on there), no second email
    expect((await inbox(world.users.member.id, org)).map((r) => r.event_key)).toContain(
      `critical_bug:${next}`,
    );
    expect(await mailTo(world.users.member.email)).toHaveLength(1);
    // everyone else still gets it
    expect(
      (await mailTo(world.users.viewer.email)).filter((m) => m.subject.includes("Critical")),
    ).toHaveLength(2);
  }, 120_000);
  it("the meter's 80% warning reaches owners and admins in the app after the bug that crossed it", async () => {
    const org = world.orgA.id;
    // two critical bugs are billed in A's trial (limit 10): six more reach 80%
    let last = "";
    for (let i = 0; i < 6; i++) last = await newBug(org, "low");
    const [warning] = await asSuperuser<{ id: string; notified_at: Date | null }>(
      "select id, notified_at from public.usage_warnings where organization_id = $1 and threshold = 80",
      [org],
    );
    expect(warning?.notified_at).toBeNull();
    await deliver(
      events.bugCreated.create({ organizationId: org, bugId: last }, { id: `bug-created:${last}` }),
    );
    const key = `usage_warning:${warning?.id}`;
    const rows = await waitFor(
      async () => {
        const r = await asSuperuser<{ user_id: string }>(
          "select user_id from public.notifications where event_key = $1 order by user_id",
          [key],
        );
        return r.length >= 2 ? r : undefined;
      },
      30_000,
      "usage warning notifications",
    );
    expect(rows.map((r) => r.user_id).sort()).toEqual(
      [world.users.owner.id, world.users.admin.id].sort(),
    );
    const [claimed] = await asSuperuser<{ notified_at: Date | null }>(
      "select notified_at from public.usage_warnings where id = $1",
      [warning?.id],
    );
    expect(claimed?.notified_at).not.toBeNull();
  }, 120_000);
});
