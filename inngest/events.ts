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
