import { z } from "zod";
import {
  GITHUB_PR_ACTIVITY_EVENTS,
  githubPrActivityFields,
  pullRequestActivityFields,
} from "./github-pr-payloads";

/**
 * What we keep of each provider's delivery, as zod schemas. Parsing strips everything else, so an
 * event carries the fields the consumers need and not, say, every commit of a push. The same
 * schemas validate the Inngest event (inngest/events.ts): a parsed payload parses again unchanged.
 * Only objects, strings, numbers and booleans: no transforms, no defaults.
 */

const id = z.string().min(1).max(200);
const shortText = z.string().max(500);
/** A JSON object whose content the consumer (pipeline) validates itself. */
const jsonObject = z.record(z.string(), z.unknown());

// ── Zendesk: event-subscription webhooks (zendesk_event_version 2022-11-06) ──────────────────

export const zendeskPayload = z.object({
  id,
  type: z.string().min(1).max(200),
  account_id: z.number().int().optional(),
  subject: shortText.optional(),
  time: z.string().max(100).optional(),
  zendesk_event_version: z.string().max(50).optional(),
  /** The ticket (id, subject, description, status, requester, tags, via…). */
  detail: jsonObject.optional(),
  /** What happened (e.g. the comment added, with author and is_public). */
  event: jsonObject.optional(),
});
export type ZendeskPayload = z.infer<typeof zendeskPayload>;

// ── Intercom: notification_event ─────────────────────────────────────────────────────────────

export const intercomPayload = z.object({
  type: z.literal("notification_event"),
  id,
  topic: z.string().min(1).max(200),
  app_id: id,
  created_at: z.number().int().optional(),
  /** `data.item`: the conversation (with its parts) the topic is about. */
  data: z.object({ type: z.string().max(100).optional(), item: jsonObject.nullish() }).optional(),
});
export type IntercomPayload = z.infer<typeof intercomPayload>;

// ── GitHub App ───────────────────────────────────────────────────────────────────────────────

const sha = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/);
const repository = z.object({
  id: z.number().int().positive(),
  full_name: z.string().min(3).max(300),
  default_branch: z.string().max(255).optional(),
  private: z.boolean().optional(),
});

export const githubPayload = z.object({
  action: z.string().max(100).optional(),
  installation: z
    .object({
      id: z.number().int().positive(),
      account: z
        .object({ login: z.string().max(100), type: z.string().max(50).optional() })
        .optional(),
      // orders installation deliveries (ISO 8601; older payloads carry epoch seconds)
      updated_at: z.union([z.string().max(64), z.number().int().nonnegative()]).nullish(),
    })
    .optional(),
  repository: repository.optional(),
  // installation / installation_repositories
  repositories: z.array(repository).max(10_000).optional(),
  repositories_added: z.array(repository).max(10_000).optional(),
  repositories_removed: z.array(repository).max(10_000).optional(),
  // push
  ref: z.string().max(500).optional(),
  before: sha.optional(),
  after: sha.optional(),
  // pull_request
  number: z.number().int().positive().optional(),
  pull_request: z
    .object({
      id: z.number().int().positive(),
      number: z.number().int().positive(),
      state: z.string().max(20),
      merged: z.boolean().nullish(),
      merge_commit_sha: sha.nullish(),
      head: z.object({ ref: z.string().max(500), sha }),
      base: z.object({ ref: z.string().max(500) }),
      ...pullRequestActivityFields,
    })
    .optional(),
  // deployment_status
  deployment: z
    .object({
      id: z.number().int().positive(),
      sha,
      ref: z.string().max(500),
      environment: z.string().max(255),
      production_environment: z.boolean().optional(),
    })
    .optional(),
  deployment_status: z
    .object({
      id: z.number().int().positive(),
      state: z.string().max(50),
      environment: z.string().max(255).optional(),
      // when GitHub reported it: deploy detection orders statuses by it
      created_at: z.string().max(50).optional(),
    })
    .optional(),
  ...githubPrActivityFields,
});
export type GithubPayload = z.infer<typeof githubPayload>;

/** GitHub events a consumer exists or is planned for; anything else is recorded as ignored. */
export const GITHUB_EVENTS = [
  "installation",
  "installation_repositories",
  "push",
  "pull_request",
  "deployment_status",
  ...GITHUB_PR_ACTIVITY_EVENTS,
] as const;

// ── Razorpay ─────────────────────────────────────────────────────────────────────────────────

export const razorpayPayload = z.object({
  entity: z.literal("event"),
  account_id: z.string().max(100),
  event: z.string().min(1).max(100),
  contains: z.array(z.string().max(100)).max(20),
  /** `payment`, `subscription`, `invoice`…: each `{ entity: {…} }`, kept for billing. */
  payload: z.record(z.string().max(100), z.object({ entity: jsonObject })),
  created_at: z.number().int(),
});
export type RazorpayPayload = z.infer<typeof razorpayPayload>;

/**
 * The workspace a Razorpay event is for: Patchline creates subscriptions (and their payments)
 * with `notes.organization_id`. Razorpay sends `notes` as `[]` when empty.
 */
export function razorpayOrganizationId(payload: RazorpayPayload): string | null {
  // a payment link's notes name the workspace too (billing asks a pending add-on with one)
  for (const key of ["subscription", "payment", "invoice", "payment_link"]) {
    const notes = payload.payload[key]?.entity.notes;
    if (notes && typeof notes === "object" && !Array.isArray(notes)) {
      const value = (notes as Record<string, unknown>).organization_id;
      if (typeof value === "string" && z.uuid().safeParse(value).success) return value;
    }
  }
  return null;
}
