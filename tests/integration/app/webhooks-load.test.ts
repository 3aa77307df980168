import { describe, expect, it } from "vitest";
import { runWebhookLoad } from "@/scripts/lib/webhook-load";
import { appUrl } from "./helpers";

/**
 * The smaller run of `npm run bench:webhooks` (issue 13), in the app phase of `npm test` (it needs
 * the `next build` that phase made). 200 deliveries across the four providers, 16 at a time, with
 * exact duplicates, bad signatures, forced event-send failures redelivered afterwards, and the
 * executor stopped for the middle third (those sends fail and only the re-send cron recovers them).
 * It asserts correctness, not speed: this machine's load makes timings meaningless here.
 *
 * It starts its own `next start` (pointed at a proxy that fails chosen event sends), on
 * TEST_APP_PORT + 50, beside the runner's app.
 */

describe("webhook intake under load and faults", () => {
  it("records every valid delivery once, processes it once, leaves no trace of bad ones and nothing pending", async () => {
    appUrl(); // fails unless the app phase (and so a `next build`) is what runs this
    const report = await runWebhookLoad({
      deliveries: 200,
      concurrency: 16,
      appPort: Number(process.env.TEST_APP_PORT ?? 4000) + 50,
      outage: true,
      // the re-send job runs every minute and takes rows pending for 15 s or more
      settleMs: 150_000,
      log: () => {},
    });
    expect(report.wrongAnswers).toEqual([]);
    expect(report).toMatchObject({
      total: 210,
      valid: 170,
      bad: 10,
      missing: 0,
      recordedTwice: 0,
      notProcessed: 0,
      badRecorded: 0,
      unsettled: 0,
      runEvents: 170,
      maxRunsPerEvent: 1,
    });
    // the faults did happen: some sends went to a stopped executor (left pending, re-sent later)
    expect(report.outageCount).toBeGreaterThan(0);
    expect(report.ok).toBe(true);
  }, 360_000);
});
