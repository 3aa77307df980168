import { randomUUID } from "node:crypto";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { serveApp, syncApp, waitForRun } from "@/scripts/lib/inngest-harness";
import { asSuperuser, buildWorld, closeDb, type World } from "@/supabase/tests/helpers/db";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import { usePipelineEnv } from "@/tests/integration/pipeline/fixtures";

vi.mock("server-only", () => ({}));

/**
 * The daily digest end to end against the devstack (real Postgres, the executor, the mailbox):
 * people who turned it on get one digest a day even when the job runs twice (and even when the
 * first send loses its answer); people who did not get none; a workspace with nothing new sends
 * nothing; the usage line reaches owners and admins only.
 */

const APP_ID = "daily-digest-test";
const executorUrl = () => devstackEnv().INNGEST_BASE_URL;
let app: Awaited<ReturnType<typeof serveApp>>;
let inngest: Inngest;
let events: typeof import("@/inngest/events");
let world: World;
/** Addresses whose first send lost its answer (other workspaces of a shared devstack may appear). */
const lostAnswers = new Set<string>();

interface Mail {
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

async function runDigest(): Promise<{ workspaces: number; sent: number }> {
  const { ids } = await inngest.send(events.dailyDigestRequested.create({}));
  const run = await waitForRun(
    executorUrl(),
    `${APP_ID}-notify-daily-digest`,
    ids[0] ?? "",
    90_000,
  );
  expect(run.status, JSON.stringify(run.error)).toBe("completed");
  return run.output as { workspaces: number; sent: number };
}

async function optIn(organizationId: string, userId: string): Promise<void> {
  await asSuperuser(
    `insert into public.notification_preferences (organization_id, user_id, event_type, in_app, email)
     values ($1, $2, 'daily_digest', false, true)`,
    [organizationId, userId],
  );
}

async function billedBug(organizationId: string, title: string, severity: string): Promise<void> {
  await asSuperuser(
    `insert into public.bugs (organization_id, title, severity, extraction_confidence, status, billed_at)
     values ($1, $2, $3, 0.9, 'mapped', now())`,
    [organizationId, title, severity],
  );
}

beforeAll(async () => {
  usePipelineEnv();
  (await import("@/lib/env")).resetEnvCacheForTests();
  events = await import("@/inngest/events");
  const mail = await import("@/lib/mail");
  const { createMailboxTransport } = await import("@/lib/mail/mailbox-transport");
  const real = createMailboxTransport({ mailboxUrl: devstackEnv().MAILBOX_URL, from: "t@t" });
  const seen = new Set<string>();
  // the real mailbox, except that the first send to each address loses its answer (accepted,
  // then the transport throws): the retried step must not send a second digest
  mail.setMailTransportForTests({
    name: "flaky-mailbox",
    async send(message) {
      const result = await real.send(message);
      if (!seen.has(message.to)) {
        seen.add(message.to);
        lostAnswers.add(message.to);
        throw new Error("answer lost");
      }
      return result;
    },
  });
  inngest = new Inngest({ id: APP_ID, isDev: true, baseUrl: executorUrl() });
  const digest = await import("@/inngest/functions/notify-daily-digest");
  app = await serveApp(inngest, [digest.defineNotifyDailyDigest(inngest)]);
  await syncApp(executorUrl(), app.url);
  world = await buildWorld("digest");
}, 120_000);

afterAll(async () => {
  (await import("@/lib/mail")).setMailTransportForTests(undefined);
  await app?.close();
  await closeDb();
});

describe("daily digest", () => {
  it("mails each opted-in person one digest a day, however often it runs; nobody else", async () => {
    const org = world.orgA.id;
    const { owner, admin, member, viewer, outsider } = world.users;
    await optIn(org, owner.id);
    await optIn(org, member.id);
    // the other workspace's owner opted in, but nothing happened there
    await optIn(world.orgB.id, outsider.id);
    const critical = `Checkout total wrong ${randomUUID().slice(0, 6)}`;
    await billedBug(org, critical, "critical");
    await billedBug(org, "Avatar upload slow", "low");

    await runDigest();
    await runDigest();

    const [ownerMails, memberMails] = [await mailTo(owner.email), await mailTo(member.email)];
    expect(ownerMails).toHaveLength(1);
    expect(memberMails).toHaveLength(1);
    expect(lostAnswers.has(owner.email) && lostAnswers.has(member.email)).toBe(true);
    for (const mail of [...ownerMails, ...memberMails]) {
      expect(mail.subject).toContain("2 new Mapped Bugs");
      expect(mail.text).toContain("2 new Mapped Bugs in the last 24 hours.");
      expect(mail.text).toContain(`- ${critical}: `);
      expect(mail.text).not.toContain("Avatar upload slow");
      expect(mail.text).toContain("0 bug fixes shipped.");
      expect(mail.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
      expect(mail.text).toContain("/unsubscribe?token=");
    }
    // usage is billing information: owners and admins only
    expect(ownerMails[0]?.text).toContain("Usage this period: 2 of 10 Mapped Bugs included.");
    expect(memberMails[0]?.text).not.toContain("Usage this period");

    for (const person of [admin, viewer, outsider]) {
      expect(await mailTo(person.email)).toHaveLength(0);
    }
    const ledger = await asSuperuser<{ status: string }>(
      `select status from public.notification_deliveries
        where organization_id = $1 and event_type = 'daily_digest'`,
      [org],
    );
    expect(ledger.map((l) => l.status)).toEqual(["sent", "sent"]);
  }, 240_000);
});
