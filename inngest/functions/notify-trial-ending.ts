import { cron, type Inngest } from "inngest";
import { inngest } from "../client";
import { billingActionNeeded, trialNoticesRequested } from "../events";

/**
 * Tells owners and admins that their trial is ending or has ended, and what to do (subscribe in
 * Settings → Billing). Hourly (and on `billing/trial-notices.requested`): lists the trialing
 * workspaces not yet told the trial ended, then per workspace claims the notice it is due
 * (lib/notifications/trial-notices.ts: 3 days left or 8 of 10 trial bugs → `trial_ending`; over
 * → `trial_ended`) by stamping its column on `subscriptions`, and sends `billing/action.needed`
 * with the event id `billing-action-needed:<reason>:<organizationId>`. The claim is a memoized
 * step and a stamped column is never claimed again, so a retry or the next hour tells nobody twice.
 */
export const notifyTrialEnding = defineNotifyTrialEnding(inngest);

/** The function on a given client (the app's; a test serves it on its own app id). */
export function defineNotifyTrialEnding(client: Inngest) {
  return client.createFunction(
    {
      id: "notify-trial-ending",
      triggers: [cron("17 * * * *"), trialNoticesRequested],
      // one sweep at a time; the claim would keep two from telling twice anyway
      concurrency: { limit: 1 },
      retries: 3,
    },
    async ({ step }) => {
      const candidates = await step.run("list-trials", async () => {
        const [{ createAdminClient }, notices] = await Promise.all([
          import("@/lib/supabase/admin"),
          import("@/lib/notifications/trial-notices"),
        ]);
        const admin = await createAdminClient({
          reason: "find trials ending",
          noOrganization: "scheduled-sweep",
        });
        return notices.listTrialCandidates(admin);
      });
      let told = 0;
      for (const organizationId of candidates) {
        const claim = await step.run(`claim-${organizationId}`, async () => {
          const [{ createAdminClient }, notices] = await Promise.all([
            import("@/lib/supabase/admin"),
            import("@/lib/notifications/trial-notices"),
          ]);
          const admin = await createAdminClient({ reason: "claim trial notice", organizationId });
          return notices.claimTrialNotice(admin, organizationId, new Date());
        });
        if (!claim) continue;
        await step.sendEvent(
          `tell-${organizationId}`,
          billingActionNeeded.create(
            {
              organizationId,
              reason: claim.reason,
              razorpaySubscriptionId: null,
              occurredAt: claim.at,
            },
            { id: `billing-action-needed:${claim.reason}:${organizationId}` },
          ),
        );
        told += 1;
      }
      return { checked: candidates.length, told };
    },
  );
}
