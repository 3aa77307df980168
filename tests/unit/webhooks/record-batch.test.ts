import { describe, expect, it, vi } from "vitest";
import { RecordBatcher } from "@/lib/webhooks/record-batch";

const upper = (s: string) => s.toUpperCase();

describe("RecordBatcher", () => {
  it("records the items queued in one turn in one call, and a later one alone with the single call", async () => {
    const many = vi.fn(async (_c: string, items: string[]) => items.map(upper));
    const one = vi.fn(async (_c: string, item: string) => upper(item));
    const batcher = new RecordBatcher(many, one);
    const outcomes = await Promise.all(["a", "b", "c"].map((i) => batcher.record("db", i)));
    expect(outcomes).toEqual(["A", "B", "C"]);
    expect(many).toHaveBeenCalledTimes(1);
    expect(many).toHaveBeenCalledWith("db", ["a", "b", "c"]);
    expect(one).not.toHaveBeenCalled();
    // nothing waits for company that is not coming: a batch of one is the single call
    expect(await batcher.record("db", "d")).toBe("D");
    expect(many).toHaveBeenCalledTimes(1);
    expect(one).toHaveBeenCalledWith("db", "d");
  });

  it("retries a failed batch one item at a time: a bad item fails alone, its neighbours are recorded", async () => {
    const many = vi.fn(async (_c: string, _items: string[]): Promise<string[]> => {
      throw new Error("deadlock detected");
    });
    const one = vi.fn(async (_c: string, item: string) => {
      if (item === "bad") throw new Error("invalid input");
      return upper(item);
    });
    const batcher = new RecordBatcher(many, one);
    const settled = await Promise.allSettled(["a", "bad", "c"].map((i) => batcher.record("db", i)));
    expect(settled.map((s) => (s.status === "fulfilled" ? s.value : "rejected"))).toEqual([
      "A",
      "rejected",
      "C",
    ]);
    expect(many).toHaveBeenCalledTimes(1);
    expect(one).toHaveBeenCalledTimes(3);
  });

  it("rejects every caller when the database is down for the batch and for each retry", async () => {
    const down = new Error("connection refused");
    const batcher = new RecordBatcher<string, string, string>(
      async () => {
        throw down;
      },
      async () => {
        throw down;
      },
    );
    const settled = await Promise.allSettled(["a", "b"].map((i) => batcher.record("db", i)));
    expect(settled).toEqual([
      { status: "rejected", reason: down },
      { status: "rejected", reason: down },
    ]);
  });

  it("treats an answer of the wrong length as a failed batch", async () => {
    const many = vi.fn(async (_c: string, items: string[]) => items.slice(1).map(upper));
    const one = vi.fn(async (_c: string, item: string) => `${upper(item)}!`);
    const batcher = new RecordBatcher(many, one);
    expect(await Promise.all(["a", "b"].map((i) => batcher.record("db", i)))).toEqual(["A!", "B!"]);
  });

  it("caps a call by count and by bytes", async () => {
    const many = vi.fn(async (_c: string, items: string[]) => items.map(upper));
    const one = vi.fn(async (_c: string, item: string) => upper(item));
    const byCount = new RecordBatcher(many, one, 2, 1_000_000);
    await Promise.all(["a", "b", "c", "d", "e"].map((i) => byCount.record("db", i)));
    expect(many.mock.calls.map((c) => c[1])).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
    expect(one.mock.calls.map((c) => c[1])).toEqual(["e"]);

    many.mockClear();
    one.mockClear();
    // JSON of ten "a"s is 12 bytes; the cap is 30
    const ten = "a".repeat(10);
    const byBytes = new RecordBatcher(many, one, 50, 30);
    await Promise.all([ten, ten, ten].map((i) => byBytes.record("db", i)));
    expect(many.mock.calls.map((c) => c[1])).toEqual([[ten, ten]]);
    expect(one.mock.calls.map((c) => c[1])).toEqual([ten]);
  });
});
