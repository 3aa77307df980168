import { describe, expect, it, vi } from "vitest";
import { matchCel } from "@/devstack/executor/cel";

vi.mock("server-only", () => ({}));

/**
 * Which `webhook/delivery.received` deliveries start `relearn-vocabulary`: merged pull requests
 * only, filtered by the trigger (before the debounce, so a plain close never stands in for the
 * mismapped mark debounced with it). Evaluated with the devstack executor's CEL.
 */

const { relearnVocabularyFunction } = await import("@/inngest/functions/relearn-vocabulary");

type Fn = { opts: { triggers?: Array<{ event?: unknown; if?: string }> } };

function starts(data: Record<string, unknown>): boolean {
  const event = { name: "webhook/delivery.received", data };
  return ((relearnVocabularyFunction as unknown as Fn).opts.triggers ?? []).some((t) => {
    const name = typeof t.event === "string" ? t.event : (t.event as { name: string }).name;
    return name === event.name && (!t.if || matchCel(t.if, { event }));
  });
}

describe("relearn-vocabulary's delivery trigger", () => {
  const pr = (merged: boolean | null) => ({
    provider: "github",
    eventType: "pull_request.closed",
    payload: { pull_request: { number: 7, merged } },
  });

  it("starts for a merged pull request", () => {
    expect(starts(pr(true))).toBe(true);
  });

  it("does not start for a closed, unmerged one, a push or another provider's delivery", () => {
    expect(starts(pr(false))).toBe(false);
    expect(starts(pr(null))).toBe(false);
    expect(starts({ provider: "github", eventType: "push", payload: {} })).toBe(false);
    expect(
      starts({ provider: "zendesk", eventType: "zen:event-type:ticket.created", payload: {} }),
    ).toBe(false);
  });
});
