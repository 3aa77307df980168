import { orgRoutes } from "@/lib/auth/routes";
import type { NotificationEventType } from "./catalog";

/**
 * What a notification says, built from its type and payload (ids and small facts): the same words
 * in the bell and in the email. Never ticket text: a bug is named by its severity and linked, and
 * the page shows the rest to whoever may read it.
 */

export type NotificationPayload = Record<string, string | number | boolean | null>;

export interface NotificationMessage {
  title: string;
  body: string;
  /** Where it leads, inside the workspace. */
  href: string;
}

function str(payload: NotificationPayload, key: string): string {
  const value = payload[key];
  return typeof value === "string" || typeof value === "number" ? String(value) : "";
}

const PROVIDER_NAMES: Record<string, string> = {
  zendesk: "Zendesk",
  intercom: "Intercom",
  github: "GitHub",
};

const STATUS_WORDS: Record<string, string> = {
  mapped: "mapped",
  review: "in review",
  dismissed: "dismissed",
  held: "held: over allowance",
};

const BILLING_REASONS: Record<string, string> = {
  payment_failed: "A payment failed. Update the payment method to keep the subscription active.",
  halted: "The subscription is halted after failed payments. Update the payment method.",
  trial_ending:
    "The free trial ends soon (in 3 days or at 10 Mapped Bugs). Subscribe in Settings → Billing to keep new tickets becoming Mapped Bugs.",
  refund_failed:
    "Razorpay could not refund the credits above an invoice's overage, twice. Patchline will pay it back another way: the invoice in Settings → Billing says how much.",
  trial_ended:
    "The free trial has ended. Subscribe in Settings → Billing to keep new tickets becoming Mapped Bugs.",
};

const BILLING_TITLES: Record<string, string> = {
  refund_failed: "A refund failed",
  trial_ending: "Your trial ends soon",
  trial_ended: "Your trial has ended",
};

export function notificationMessage(
  type: NotificationEventType,
  payload: NotificationPayload,
  slug: string,
): NotificationMessage {
  const routes = orgRoutes(slug);
  const bug = str(payload, "bugId");
  switch (type) {
    case "bug_created": {
      const status = STATUS_WORDS[str(payload, "status")] ?? "new";
      return {
        title: `New ${str(payload, "severity") || ""} bug`.replace("  ", " "),
        body: `A ticket became a bug (${status}).`,
        href: routes.bug(bug),
      };
    }
    case "critical_bug":
      return {
        title: "Critical bug",
        body: "A customer reported a critical bug. Look at it first.",
        href: routes.bug(bug),
      };
    case "bug_status_changed":
      return {
        title: "Bug status changed",
        body: `A bug went from ${STATUS_WORDS[str(payload, "from")] ?? "?"} to ${STATUS_WORDS[str(payload, "to")] ?? "?"}.`,
        href: routes.bug(bug),
      };
    case "pipeline_failed":
      return {
        title: "A ticket could not be processed",
        body: "The pipeline gave up on a ticket after its retries. Open it to process it again.",
        href: routes.ticket(str(payload, "ticketId")),
      };
    case "usage_warning": {
      const threshold = str(payload, "threshold");
      return {
        title: `${threshold}% of the Mapped Bug allowance used`,
        body:
          threshold === "100"
            ? "New bugs past the allowance are held until the cap is raised or the period ends."
            : "The workspace is nearing its Mapped Bug allowance for this period.",
        href: routes.settings,
      };
    }
    case "integration_disconnected": {
      const provider = PROVIDER_NAMES[str(payload, "provider")] ?? "An integration";
      return {
        title: `${provider} disconnected`,
        body: `${provider} stopped answering for this workspace. Reconnect it so tickets keep flowing.`,
        href: routes.integrations,
      };
    }
    case "billing_action_needed":
      return {
        title: BILLING_TITLES[str(payload, "reason")] ?? "Billing needs your attention",
        body: BILLING_REASONS[str(payload, "reason")] ?? "Open billing settings to see what to do.",
        href: routes.billing,
      };
    case "rca_published":
      return {
        title: "RCA published",
        body: "A root-cause analysis was posted to the customer's tickets.",
        href: routes.bug(bug),
      };
    case "daily_digest":
      return {
        title: "Daily digest",
        body: str(payload, "summary") || "Your day in Patchline.",
        href: routes.home,
      };
  }
}
