import { describe, expect, it, vi } from "vitest";
import type { AdminSupabaseClient } from "@/lib/supabase/admin";

vi.mock("server-only", () => ({}));

const { MarkSentBatcher } = await import("@/lib/webhooks/mark-sent-batch");
const { PhaseTimer } = await import("@/lib/webhooks/server-timing");

const admin = {} as AdminSupabaseClient;

describe("MarkSentBatcher", () => {
  it("writes the marks queued in one turn as one update per attempt count", async () => {
    const write = vi.fn(async (_a: AdminSupabaseClient, _ids: string[], _n: number) => {});
    const batcher = new MarkSentBatcher(write);
    await Promise.all([
      batcher.mark(admin, "a", 1),
      batcher.mark(admin, "b", 1),
      batcher.mark(admin, "c", 2),
      batcher.mark(admin, "d", 1),
    ]);
    expect(write).toHaveBeenCalledTimes(2);
    expect(write).toHaveBeenCalledWith(admin, ["a", "b", "d"], 1);
    expect(write).toHaveBeenCalledWith(admin, ["c"], 2);
    // a later mark is its own batch: nothing waits for company that is not coming
    await batcher.mark(admin, "e", 1);
    expect(write).toHaveBeenCalledTimes(3);
    expect(write).toHaveBeenLastCalledWith(admin, ["e"], 1);
  });

  it("rejects every caller of a failed batch and keeps working afterwards", async () => {
    let fail = true;
    const write = vi.fn(async () => {
      if (fail) throw new Error("gateway down");
    });
    const batcher = new MarkSentBatcher(write);
    const results = await Promise.allSettled([
      batcher.mark(admin, "a", 1),
      batcher.mark(admin, "b", 1),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    fail = false;
    await expect(batcher.mark(admin, "c", 1)).resolves.toBeUndefined();
  });

  it("caps a batch at 200 ids", async () => {
    const sizes: number[] = [];
    const batcher = new MarkSentBatcher(async (_a, ids) => {
      sizes.push(ids.length);
    });
    await Promise.all(Array.from({ length: 450 }, (_, i) => batcher.mark(admin, `id-${i}`, 1)));
    expect(sizes).toEqual([200, 200, 50]);
  });
});

describe("PhaseTimer", () => {
  it("names each phase and the total in Server-Timing syntax", () => {
    const timer = new PhaseTimer();
    timer.mark("verify");
    timer.mark("record");
    expect(timer.header()).toMatch(/^verify;dur=\d+\.\d, record;dur=\d+\.\d, total;dur=\d+\.\d$/);
  });
});
