import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventValidationError, normaliseEvents } from "@/devstack/executor/events";
import {
  concurrencySlots,
  prioritySortAt,
  unsupportedOptions,
} from "@/devstack/executor/flow-control";
import type { FunctionConfig, RegisteredFunction } from "@/devstack/executor/types";
import { maxAttempts } from "@/devstack/executor/types";

function fn(config: Partial<FunctionConfig>): RegisteredFunction {
  return {
    id: "app-fn",
    appId: "app",
    appUrl: "http://app/api/inngest",
    config: {
      id: "app-fn",
      triggers: [{ event: "x/y" }],
      steps: {
        step: {
          id: "step",
          name: "step",
          runtime: { type: "http", url: "http://app/api/inngest" },
        },
      },
      ...config,
    },
  };
}

const event = { id: "e1", name: "x/y", data: { organizationId: "org-1" }, ts: 0 };

describe("concurrency slots", () => {
  it("keys per function by default and per key value when a key is given", () => {
    expect(concurrencySlots(fn({ concurrency: 3 }), event)).toEqual([{ k: "fn:app-fn", limit: 3 }]);
    expect(
      concurrencySlots(fn({ concurrency: { limit: 2, key: "event.data.organizationId" } }), event),
    ).toEqual([{ k: "fn:app-fn:org-1", limit: 2 }]);
  });

  it("shares env-scoped keys across functions and supports two limits", () => {
    const slots = concurrencySlots(
      fn({
        concurrency: [
          { limit: 5, key: "event.data.organizationId", scope: "env" },
          { limit: 1, key: "event.data.organizationId" },
        ],
      }),
      event,
    );
    expect(slots).toEqual([
      { k: "env:event.data.organizationId:org-1", limit: 5 },
      { k: "fn:app-fn:org-1", limit: 1 },
    ]);
  });

  it("ignores a zero limit (Inngest: no limit)", () => {
    expect(concurrencySlots(fn({ concurrency: 0 }), event)).toEqual([]);
  });
});

describe("sync-time reporting", () => {
  it("reports what the executor does not honour", () => {
    expect(unsupportedOptions(fn({}).config)).toEqual([]);
    expect(
      unsupportedOptions(
        fn({
          triggers: [{ cron: "* * * * *", jitter: "10s" }],
          debounce: { period: "1s" },
          batchEvents: { maxSize: 2, timeout: "1s" },
        }).config,
      ),
    ).toEqual([
      "cron jitter is ignored: crons fire on the tick",
      "batchEvents together with debounce is not supported: debounce wins",
      "debounce applies to event triggers only, not to cron ticks",
    ]);
  });

  it("counts attempts as retries + 1, 5 by default", () => {
    expect(maxAttempts(fn({}).config)).toBe(5);
    const none = fn({});
    none.config.steps.step = { ...none.config.steps.step!, retries: { attempts: 0 } };
    expect(maxAttempts(none.config)).toBe(1);
  });
});

describe("priority", () => {
  it("moves the sort time by the expression's seconds, clamped to ±600", () => {
    const start = new Date(1_000_000);
    const f = fn({ priority: { run: "event.data.p" } });
    const at = (p: unknown) => prioritySortAt(f, { ...event, data: { p } }, start)?.getTime();
    expect(at(10)).toBe(990_000);
    expect(at(-10)).toBe(1_010_000);
    expect(at(10_000)).toBe(400_000);
    expect(at("high")).toBeUndefined();
  });
});

describe("event normalisation", () => {
  it("fills id, data and ts and keeps what the client sent", () => {
    const [a, b] = normaliseEvents(
      [{ name: "a/b" }, { name: "a/c", id: "given", data: { x: 1 }, ts: 5, v: "1" }],
      42,
    );
    expect(a).toMatchObject({ name: "a/b", data: {}, ts: 42 });
    expect(a?.id).toMatch(/^[0-9A-Z]{26}$/);
    expect(b).toEqual({ id: "given", name: "a/c", data: { x: 1 }, ts: 5, v: "1" });
  });

  it("rejects anything without a name or with non-object data", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constant(null),
          fc.integer(),
          fc.record({ data: fc.object() }),
          fc.record({ name: fc.constant("a/b"), data: fc.array(fc.integer()) }),
          fc.record({ name: fc.constant("") }),
        ),
        (bad) => {
          expect(() => normaliseEvents(bad)).toThrow(EventValidationError);
        },
      ),
    );
  });
});
