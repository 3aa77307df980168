import { describe, expect, it } from "vitest";
import { config } from "@/middleware";

/**
 * Next.js anchors a matcher source as a path regex. Webhook routes must never pass through the
 * middleware (it buffers and can truncate bodies, and signatures cover the raw bytes).
 */
function matches(pathname: string): boolean {
  const source = config.matcher[0]?.source ?? "";
  return new RegExp(`^${source}$`).test(pathname);
}

describe("middleware matcher", () => {
  it("leaves every webhook route out", () => {
    for (const provider of ["zendesk", "intercom", "github", "razorpay"]) {
      expect(matches(`/api/webhooks/${provider}`)).toBe(false);
    }
  });

  it("leaves the Inngest serve endpoint out (the SDK verifies its own signing)", () => {
    expect(matches("/api/inngest")).toBe(false);
    expect(matches("/api/inngest/")).toBe(false);
  });

  it("still runs on pages and other routes", () => {
    expect(matches("/acme/settings")).toBe(true);
    expect(matches("/sign-in")).toBe(true);
    expect(matches("/api/webhooks-not-really")).toBe(true);
    expect(matches("/api/inngestion")).toBe(true);
    expect(matches("/api/health")).toBe(true);
    expect(matches("/_next/static/chunk.js")).toBe(false);
  });
});
