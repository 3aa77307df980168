import { eventType } from "inngest";
import { z } from "zod";

/**
 * Every event the app sends or receives, with its zod schema. Producers and consumers import the
 * same definition. Names are `<area>/<noun>.<past-verb>`; every payload carries `organizationId`,
 * the key concurrency and tenant scoping use.
 */

export const pingRequestedData = z.object({
  organizationId: z.uuid(),
  /** Echoed back unchanged; short, never ticket text. */
  message: z.string().min(1).max(200),
});
export type PingRequestedData = z.infer<typeof pingRequestedData>;

/** A health check of the background-job path: the app's event reaches a function and returns. */
export const pingRequested = eventType("app/ping.requested", { schema: pingRequestedData });

export const secretsRotationRequestedData = z.object({
  /** Limit the rotation to one workspace (the admin-only setting); absent: every workspace. */
  organizationId: z.uuid().optional(),
  /** Who asked: "script" (npm run rotate-keys) or the id of the admin who pressed the button. */
  requestedBy: z.union([z.literal("script"), z.uuid()]),
  /** Rows per batch (one step each); 100 when absent. */
  batchSize: z.number().int().min(1).max(500).optional(),
});
export type SecretsRotationRequestedData = z.infer<typeof secretsRotationRequestedData>;

/**
 * Re-encrypt every secret still on an old key with the active one (ENCRYPTION_KEYS' first key).
 * Carries no secret; the function reports counts only.
 */
export const secretsRotationRequested = eventType("secrets/rotation.requested", {
  schema: secretsRotationRequestedData,
});
