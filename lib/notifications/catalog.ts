/**
 * The notification catalog: every event a person can be told about, who may receive it, which
 * channels are locked on and what a person gets before choosing. The database holds the same
 * table (`private.notification_events`, migration 20261206280000); a test compares them.
 *
 * Locked channels: a critical bug always shows in the app; usage warnings show in the app
 * always (the issue: "in the app always, by email if they opted in"); a disconnected
 * integration stops the pipeline, so it always shows in the app; a billing action (a failed
 * payment, a trial ending) reaches owners and admins in the app and by email, whatever they chose.
 */

export const NOTIFICATION_EVENT_TYPES = [
  "bug_created",
  "bug_status_changed",
  "critical_bug",
  "pipeline_failed",
  "usage_warning",
  "integration_disconnected",
  "billing_action_needed",
  "rca_published",
  "daily_digest",
] as const;
export type NotificationEventType = (typeof NOTIFICATION_EVENT_TYPES)[number];

export interface NotificationEventSpec {
  /** What the settings page calls it. */
  label: string;
  /** One line under the label. */
  description: string;
  /** Only owners and admins receive it (and see its toggles). */
  adminOnly: boolean;
  lockedInApp: boolean;
  lockedEmail: boolean;
  inAppDefault: boolean;
  emailDefault: boolean;
  /** No in-app form (the daily digest). */
  emailOnly: boolean;
}

export const NOTIFICATION_EVENTS: Record<NotificationEventType, NotificationEventSpec> = {
  bug_created: {
    label: "New Mapped Bug",
    description: "A ticket became a bug mapped to your code.",
    adminOnly: false,
    lockedInApp: false,
    lockedEmail: false,
    inAppDefault: true,
    emailDefault: false,
    emailOnly: false,
  },
  bug_status_changed: {
    label: "Bug status changed",
    description: "A bug was accepted, dismissed or held.",
    adminOnly: false,
    lockedInApp: false,
    lockedEmail: false,
    inAppDefault: true,
    emailDefault: false,
    emailOnly: false,
  },
  critical_bug: {
    label: "Critical bug",
    description: "A customer reported something critical.",
    adminOnly: false,
    lockedInApp: true,
    lockedEmail: false,
    inAppDefault: true,
    emailDefault: true,
    emailOnly: false,
  },
  pipeline_failed: {
    label: "Pipeline failed",
    description: "A ticket could not be processed after every retry.",
    adminOnly: true,
    lockedInApp: false,
    lockedEmail: false,
    inAppDefault: true,
    emailDefault: true,
    emailOnly: false,
  },
  usage_warning: {
    label: "Usage warning",
    description: "The workspace used 80% or 100% of its Mapped Bug allowance.",
    adminOnly: true,
    lockedInApp: true,
    lockedEmail: false,
    inAppDefault: true,
    emailDefault: false,
    emailOnly: false,
  },
  integration_disconnected: {
    label: "Integration disconnected",
    description: "Zendesk, Intercom or GitHub stopped answering for this workspace.",
    adminOnly: true,
    lockedInApp: true,
    lockedEmail: false,
    inAppDefault: true,
    emailDefault: true,
    emailOnly: false,
  },
  billing_action_needed: {
    label: "Billing action needed",
    description: "A payment failed or the trial is ending.",
    adminOnly: true,
    lockedInApp: true,
    lockedEmail: true,
    inAppDefault: true,
    emailDefault: true,
    emailOnly: false,
  },
  rca_published: {
    label: "RCA published",
    description: "A root-cause analysis was posted to the customer's tickets.",
    adminOnly: false,
    lockedInApp: false,
    lockedEmail: false,
    inAppDefault: true,
    emailDefault: false,
    emailOnly: false,
  },
  daily_digest: {
    label: "Daily digest",
    description: "One email a day with the day's bugs and events.",
    adminOnly: false,
    lockedInApp: false,
    lockedEmail: false,
    inAppDefault: false,
    emailDefault: false,
    emailOnly: true,
  },
};

export function isNotificationEventType(value: unknown): value is NotificationEventType {
  return (
    typeof value === "string" && (NOTIFICATION_EVENT_TYPES as readonly string[]).includes(value)
  );
}

/** The events a role sees on the settings page and may receive. */
export function eventsForRole(
  role: "owner" | "admin" | "member" | "viewer",
): NotificationEventType[] {
  const admin = role === "owner" || role === "admin";
  return NOTIFICATION_EVENT_TYPES.filter((type) => admin || !NOTIFICATION_EVENTS[type].adminOnly);
}

export interface ChannelChoice {
  inApp: boolean;
  email: boolean;
}

/**
 * The channels that are on for one event: the person's choice (null: none made), else the
 * default; locked channels on; an email-only event never in the app. The database computes the
 * same in `public.notification_recipients`.
 */
export function effectiveChannels(
  type: NotificationEventType,
  choice: ChannelChoice | null,
): ChannelChoice {
  const spec = NOTIFICATION_EVENTS[type];
  return {
    inApp: spec.emailOnly ? false : spec.lockedInApp || (choice?.inApp ?? spec.inAppDefault),
    email: spec.lockedEmail || (choice?.email ?? spec.emailDefault),
  };
}
