import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { serveApp, syncApp, waitFor, waitForRun } from "@/scripts/lib/inngest-harness";
import { asSuperuser, buildWorld, closeDb, type World } from "@/supabase/tests/helpers/db";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import { usePipelineEnv } from "@/tests/integration/pipeline/fixtures";

vi.mock("server-only", () => ({}));

/**
 * The trial notices end to end against the devstack (real Postgres, the executor, the mailbox):
 * a trial with 2 days left tells its owner and admin (never members or viewers) by email and in
 * the app what to do, once however often the sweep runs; when it has ended, they are told that,
 * once; a workspace with most of its trial ahead hears nothing.
 */

const APP_ID = "trial-notice-test";
const executorUrl = () => devstackEnv().INNGEST_BASE_URL;
let app: Awaited<ReturnType<typeof serveApp>>;
let inngest: Inngest;
let events: typeof import("@/inngest/events");
let world: World;

interface Mail {
  subject: string;
  text: string | null;
}

async function mailTo(to: string): Promise<Mail[]> {
  const res = await fetch(
    `${devstackEnv().MAILBOX_URL}/api/v1/messages?to=${encodeURIComponent(to)}&limit=100`,
  );
  return ((await res.json()) as { messages: Mail[] }).messages;
}

async function billingInbox(userId: string, organizationId: string) {
  return asSuperuser<{ payload: { reason: string } }>(
    `select payload from public.notifications
      where user_id = $1 and organization_id = $2 and event_type = 'billing_action_needed'
      order by created_at`,
    [userId, organizationId],
  );
}

/** Runs the sweep once (as the hourly cron would) and returns its output. */
async function sweep(): Promise<{ checked: number; told: number }> {
  const { ids } = await inngest.send(events.trialNoticesRequested.create({}));
  const run = await waitForRun(
    executorUrl(),
    `${APP_ID}-notify-trial-ending`,
    ids[0] ?? "",
    60_000,
  );
  expect(run.status, JSON.stringify(run.error)).toBe("completed");
  return run.output as { checked: number; told: number };
}

/** Waits until every listed address holds `count` mails, then a little more for strays. */
async function mailsSettle(addresses: string[], count: number): Promise<void> {
  await waitFor(
    async () => {
      for (const a of addresses) if ((await mailTo(a)).length < count) return false;
      return true;
    },
    60_000,
    `${count} mail(s) each`,
  );
  await new Promise((r) => setTimeout(r, 2_000));
}

beforeAll(async () => {
  usePipelineEnv();
  (await import("@/lib/env")).resetEnvCacheForTests();
  events = await import("@/inngest/events");
  inngest = new Inngest({ id: APP_ID, isDev: true, baseUrl: executorUrl() });
  const [inApp, email, trial] = await Promise.all([
    import("@/inngest/functions/notify-in-app"),
    import("@/inngest/functions/notify-email"),
    import("@/inngest/functions/notify-trial-ending"),
  ]);
  app = await serveApp(inngest, [
    inApp.defineNotifyInApp(inngest),
    email.defineNotifyEmail(inngest),
    trial.defineNotifyTrialEnding(inngest),
  ]);
  await syncApp(executorUrl(), app.url);
  world = await buildWorld("trial");
}, 120_000);

afterAll(async () => {
  await app?.close();
  await closeDb();
});

describe("trial notices", () => {
  it("tells owners and admins once, by email and in the app, that the trial ends soon and what to do", async () => {
    const org = world.orgA.id;
    await asSuperuser(
      `update public.subscriptions set trial_ends_at = now() + interval '2 days'
        where organization_id = $1`,
      [org],
    );
    const first = await sweep();
    expect(first.told).toBeGreaterThanOrEqual(1);
    const { owner, admin, member, viewer, outsider } = world.users;
    await mailsSettle([owner.email, admin.email], 1);
    for (const person of [owner, admin]) {
      const mails = await mailTo(person.email);
      expect(mails).toHaveLength(1);
      expect(mails[0]?.subject).toContain("Your trial ends soon");
      expect(mails[0]?.text).toContain("Subscribe in Settings → Billing");
      expect(mails[0]?.text).toContain(`/${world.orgA.slug}/settings/billing`);
      const rows = await billingInbox(person.id, org);
      expect(rows.map((r) => r.payload.reason)).toEqual(["trial_ending"]);
    }
    for (const person of [member, viewer]) {
      expect(await mailTo(person.email)).toHaveLength(0);
      expect(await billingInbox(person.id, org)).toHaveLength(0);
    }
    // the other workspace has 14 days and no bugs: nothing to tell
    expect(await mailTo(outsider.email)).toHaveLength(0);

    // the next hour (or a re-run) tells nobody again
    await sweep();
    await new Promise((r) => setTimeout(r, 3_000));
    for (const person of [owner, admin]) {
      expect(await mailTo(person.email)).toHaveLength(1);
      expect(await billingInbox(person.id, org)).toHaveLength(1);
    }
  }, 180_000);

  it("tells them once more, once, when the trial has ended without a subscription", async () => {
    const org = world.orgA.id;
    await asSuperuser(
      `update public.subscriptions
          set trial_started_at = now() - interval '15 days', trial_ends_at = now() - interval '1 hour'
        where organization_id = $1`,
      [org],
    );
    await sweep();
    const { owner, admin } = world.users;
    await mailsSettle([owner.email, admin.email], 2);
    await sweep();
    await new Promise((r) => setTimeout(r, 3_000));
    for (const person of [owner, admin]) {
      const mails = await mailTo(person.email);
      expect(mails).toHaveLength(2);
      expect(mails.map((m) => m.subject).join("|")).toContain("Your trial has ended");
      const rows = await billingInbox(person.id, org);
      expect(rows.map((r) => r.payload.reason).sort()).toEqual(["trial_ended", "trial_ending"]);
    }
    const [sub] = await asSuperuser<{ ending: string | null; ended: string | null }>(
      `select trial_ending_notified_at as ending, trial_ended_notified_at as ended
         from public.subscriptions where organization_id = $1`,
      [org],
    );
    expect(sub?.ending).not.toBeNull();
    expect(sub?.ended).not.toBeNull();
  }, 180_000);
});
