import { describe, expect, it } from "vitest";
import { CelError, evalCel, matchCel } from "@/devstack/executor/cel";
import { nextTick, parseCron } from "@/devstack/executor/cron";
import { parseDuration, retryAfterMs, wakeTime } from "@/devstack/executor/duration";

const event = { name: "ticket/received", data: { orgId: "o1", n: 5, nested: { ok: true } } };

describe("CEL subset", () => {
  it("compares the trigger event with the incoming one (waitForEvent match)", () => {
    const expr = "event.data.orgId == async.data.orgId";
    expect(matchCel(expr, { event, async: { data: { orgId: "o1" } } })).toBe(true);
    expect(matchCel(expr, { event, async: { data: { orgId: "o2" } } })).toBe(false);
  });

  it("handles &&, ||, !, parentheses, comparisons and literals", () => {
    expect(matchCel("event.data.n > 3 && event.data.n <= 5", { event })).toBe(true);
    expect(matchCel("event.data.n >= 6 || event.name == 'ticket/received'", { event })).toBe(true);
    expect(matchCel("!(event.data.n == 5)", { event })).toBe(false);
    expect(matchCel('event.data.nested.ok == true && event.data["orgId"] != "x"', { event })).toBe(
      true,
    );
    expect(matchCel("event.data.n + 1 == 6", { event })).toBe(true);
    expect(matchCel("1.5 < 2 && null == null", {})).toBe(true);
  });

  it("treats a missing field as null, so conditions on it are false, not errors", () => {
    expect(matchCel("event.data.missing.deeper == 'x'", { event })).toBe(false);
    expect(matchCel("event.data.missing == null", { event })).toBe(true);
    expect(matchCel("event.data.missing > 1", { event })).toBe(false);
  });

  it("evaluates keys to values", () => {
    expect(evalCel("event.data.orgId", { event })).toBe("o1");
    expect(evalCel("event.data.nested", { event })).toEqual({ ok: true });
  });

  it("accepts the onFailure trigger the SDK generates", () => {
    const expr = "event.data.function_id == 'app-fn'";
    expect(matchCel(expr, { event: { data: { function_id: "app-fn" } } })).toBe(true);
    expect(matchCel(expr, { event: { data: { function_id: "app-other" } } })).toBe(false);
  });

  it("rejects syntax outside the subset with a CelError", () => {
    expect(() => matchCel("event.data.n ==", { event })).toThrow(CelError);
    expect(() => matchCel("event.data.n ~ 3", { event })).toThrow(CelError);
    expect(() => matchCel("'open", { event })).toThrow(CelError);
  });
});

describe("durations", () => {
  it("reads the SDK's time strings", () => {
    expect(parseDuration("1s")).toBe(1000);
    expect(parseDuration("1m30s")).toBe(90_000);
    expect(parseDuration("2h")).toBe(7_200_000);
    expect(parseDuration("1d")).toBe(86_400_000);
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("soon")).toBeUndefined();
  });

  it("wakes a sleep at a duration or an ISO date", () => {
    expect(wakeTime("2s", 1000)).toBe(3000);
    expect(wakeTime("2030-01-01T00:00:00.000Z", 0)).toBe(Date.parse("2030-01-01T00:00:00Z"));
    expect(() => wakeTime("whenever", 0)).toThrow();
  });

  it("reads Retry-After as seconds or a date", () => {
    expect(retryAfterMs("3", 0)).toBe(3000);
    expect(retryAfterMs(new Date(5000).toISOString(), 1000)).toBe(4000);
    expect(retryAfterMs(null, 0)).toBeUndefined();
  });
});

describe("cron", () => {
  it("splits the TZ prefix", () => {
    expect(parseCron("TZ=Europe/Paris 0 12 * * 5")).toEqual({
      pattern: "0 12 * * 5",
      timezone: "Europe/Paris",
    });
    expect(parseCron("*/5 * * * *")).toEqual({ pattern: "*/5 * * * *" });
  });

  it("computes the next tick in the given time zone", () => {
    const after = new Date("2026-01-05T00:00:00Z");
    // Noon in Paris in January is 11:00 UTC.
    expect(nextTick("TZ=Europe/Paris 0 12 * * *", after)?.toISOString()).toBe(
      "2026-01-05T11:00:00.000Z",
    );
    expect(nextTick("0 12 * * *", after)?.toISOString()).toBe("2026-01-05T12:00:00.000Z");
    // Six fields: seconds.
    expect(nextTick("* * * * * *", after)?.toISOString()).toBe("2026-01-05T00:00:01.000Z");
  });
});
