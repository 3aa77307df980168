import { describe, expect, it, vi } from "vitest";
import { EventSendBatcher } from "@/lib/webhooks/send-batch";

describe("EventSendBatcher", () => {
  it("sends the events queued in one turn as one request, and a later one alone", async () => {
    const sendMany = vi.fn(async (_events: string[]) => {});
    const batcher = new EventSendBatcher(sendMany, 1_000);
    const accepted = await Promise.all([batcher.send("a"), batcher.send("b"), batcher.send("c")]);
    expect(accepted).toEqual([true, true, true]);
    expect(sendMany).toHaveBeenCalledTimes(1);
    expect(sendMany).toHaveBeenCalledWith(["a", "b", "c"]);
    // nothing waits for company that is not coming
    expect(await batcher.send("d")).toBe(true);
    expect(sendMany).toHaveBeenCalledTimes(2);
    expect(sendMany).toHaveBeenLastCalledWith(["d"]);
  });

  it("answers false to every caller of a refused batch, and works afterwards", async () => {
    let refuse = true;
    const sendMany = vi.fn(async () => {
      if (refuse) throw new Error("503 from the event API");
    });
    const batcher = new EventSendBatcher(sendMany, 1_000);
    expect(await Promise.all([batcher.send("a"), batcher.send("b")])).toEqual([false, false]);
    refuse = false;
    expect(await batcher.send("c")).toBe(true);
  });

  it("answers false when the batch is not accepted within the timeout", async () => {
    const sendMany = vi.fn(() => new Promise<void>(() => {}));
    const batcher = new EventSendBatcher(sendMany, 20);
    const started = Date.now();
    expect(await Promise.all([batcher.send("a"), batcher.send("b")])).toEqual([false, false]);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("treats a send that throws synchronously as refused", async () => {
    const batcher = new EventSendBatcher<string>(() => {
      throw new Error("bad config");
    }, 1_000);
    expect(await batcher.send("a")).toBe(false);
  });

  it("caps a request by count and by bytes; an event over the byte cap goes alone", async () => {
    const sendMany = vi.fn(async (_events: string[]) => {});
    const byCount = new EventSendBatcher(sendMany, 1_000, 2, 1_000_000);
    await Promise.all(["a", "b", "c", "d", "e"].map((e) => byCount.send(e)));
    expect(sendMany.mock.calls.map((c) => c[0])).toEqual([["a", "b"], ["c", "d"], ["e"]]);

    sendMany.mockClear();
    const big = "x".repeat(80);
    // JSON of "aaaa…" (10 chars) is 12 bytes; the cap is 40
    const byBytes = new EventSendBatcher(sendMany, 1_000, 50, 40);
    const ten = "a".repeat(10);
    await Promise.all([ten, ten, ten, big, ten].map((e) => byBytes.send(e)));
    expect(sendMany.mock.calls.map((c) => c[0])).toEqual([[ten, ten, ten], [big], [ten]]);
  });
});
