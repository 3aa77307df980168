import type { Inngest } from "inngest";
import { inngest } from "../client";
import { bugCreated, bugStatusChanged, usageWarningRaised } from "../events";

/**
 * Announces the usage warnings the meter recorded (`usage_warnings`, raised by a database
 * trigger where billed_at is stamped, so nothing in the database can send an event): after a
 * bug is created or changes status (the two ways a bug gets billed), claim the workspace's
 * warnings not yet announced (`notified_at`) and send `billing/usage.warned` for each, with the
 * event id `usage-warning:<id>`. The claim is memoized by its step, so a retried send re-sends the
 * same events (dropped by their ids) and a warning is announced once.
 */
export const notifyUsageWarnings = defineNotifyUsageWarnings(inngest);

/** The function on a given client (the app's; a test serves it on its own app id). */
export function defineNotifyUsageWarnings(client: Inngest) {
  return client.createFunction(
    {
      id: "notify-usage-warnings",
      triggers: [bugCreated, bugStatusChanged],
      concurrency: { limit: 1, key: "event.data.organizationId" },
      retries: 5,
    },
    async ({ event, step }) => {
      const { organizationId } = event.data;
      const claimed = await step.run("claim-warnings", async () => {
        const { createAdminClient } = await import("@/lib/supabase/admin");
        const admin = await createAdminClient({
          reason: "announce usage warnings",
          organizationId,
        });
        const { data, error } = await admin
          .from("usage_warnings")
          .update({ notified_at: new Date().toISOString() })
          .eq("organization_id", organizationId)
          .is("notified_at", null)
          .select("id, threshold");
        if (error) throw new Error(`claim usage warnings: ${error.code ?? error.message}`);
        return data ?? [];
      });
      if (claimed.length === 0) return { announced: 0 };
      await step.sendEvent(
        "emit-usage-warnings",
        claimed.map((w) =>
          usageWarningRaised.create(
            { organizationId, warningId: w.id, threshold: w.threshold },
            { id: `usage-warning:${w.id}` },
          ),
        ),
      );
      return { announced: claimed.length };
    },
  );
}
