import { inngest } from "../client";
import { pingRequested } from "../events";

/**
 * Echoes an `app/ping.requested` event back as the run's output: proves that events, steps and
 * the serve endpoint work end to end (locally against the devstack executor, in production
 * against Inngest Cloud). It touches no data. The SDK validates the payload against the event's
 * zod schema before the handler runs; an invalid payload fails the run at once, without retries.
 */
export const ping = inngest.createFunction(
  {
    id: "ping",
    triggers: [pingRequested],
    concurrency: { limit: 5, key: "event.data.organizationId" },
    retries: 2,
  },
  async ({ event, step }) => {
    const { organizationId, message } = event.data;
    return step.run("echo", () => ({
      organizationId,
      message,
      receivedAt: new Date(event.ts ?? Date.now()).toISOString(),
    }));
  },
);
