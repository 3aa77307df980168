import { cron, type Inngest } from "inngest";
import { inngest } from "../client";
import { dailyDigestRequested } from "../events";

/**
 * The daily digest (email only, opt-in): every day at 07:00 UTC (and on
 * `notifications/daily-digest.requested`), per workspace where someone turned it on, a summary of
 * the last 24 hours (new Mapped Bugs, the critical ones by title, bugs shipped, and usage for
 * owners and admins) to each person whose digest email is on, through lib/mail with the one-click
 * unsubscribe. Each email goes through the notification ledger under `daily_digest:<UTC day>`, so a
 * re-run, a retry or a lost answer sends nobody a second digest that day. A workspace with nothing
 * new gets none. One step per workspace: its output holds counts only, never a bug's title.
 */
export const notifyDailyDigest = defineNotifyDailyDigest(inngest);

/** The function on a given client (the app's; a test serves it on its own app id). */
export function defineNotifyDailyDigest(client: Inngest) {
  return client.createFunction(
    {
      id: "notify-daily-digest",
      triggers: [cron("0 7 * * *"), dailyDigestRequested],
      concurrency: { limit: 1 },
      retries: 3,
    },
    async ({ step }) => {
      // the run's clock, memoized: a retry reports on the same day and window
      const plan = await step.run("list-workspaces", async () => {
        const [{ createAdminClient }, digest] = await Promise.all([
          import("@/lib/supabase/admin"),
          import("@/lib/notifications/daily-digest"),
        ]);
        const admin = await createAdminClient({
          reason: "find daily digest subscribers",
          noOrganization: "scheduled-sweep",
        });
        return {
          now: new Date().toISOString(),
          organizationIds: await digest.listDigestWorkspaces(admin),
        };
      });
      let sent = 0;
      for (const organizationId of plan.organizationIds) {
        const outcome = await step.run(`digest-${organizationId}`, async () => {
          const [{ createAdminClient }, digest, deliver, keys, template] = await Promise.all([
            import("@/lib/supabase/admin"),
            import("@/lib/notifications/daily-digest"),
            import("@/lib/notifications/deliver"),
            import("@/lib/notifications/unsubscribe-keys"),
            import("@/lib/mail/templates/daily-digest"),
          ]);
          const admin = await createAdminClient({ reason: "send daily digest", organizationId });
          const now = new Date(plan.now);
          const occurrence = digest.digestOccurrence(organizationId, now);
          const recipients = (await deliver.loadRecipients(admin, occurrence)).filter(
            (r) => r.emailOn,
          );
          if (recipients.length === 0) return { sent: 0, quiet: false };
          const summary = await digest.buildDigest(admin, organizationId, now);
          if (!digest.hasNews(summary)) return { sent: 0, quiet: true };
          const workspace = await deliver.loadWorkspace(admin, organizationId);
          let count = 0;
          for (const recipient of recipients) {
            const result = await deliver.sendEmailOnce(
              admin,
              occurrence,
              recipient,
              workspace,
              keys.unsubscribeKeys(),
              (links) =>
                template.renderDigestMail(
                  digest.digestMailInput({
                    to: recipient.email,
                    role: recipient.role,
                    workspace,
                    summary,
                    day: digest.digestDay(now),
                    site: links.site,
                    // the digest is never locked, so its link always exists
                    unsubscribeUrl: links.unsubscribeUrl ?? links.settingsUrl,
                    settingsUrl: links.settingsUrl,
                  }),
                ),
            );
            if (result === "sent") count += 1;
          }
          return { sent: count, quiet: false };
        });
        sent += outcome.sent;
      }
      return { workspaces: plan.organizationIds.length, sent };
    },
  );
}
