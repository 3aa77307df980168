import { describe, expect, it } from "vitest";
import { LockedError, Lockout } from "@/devstack/auth/lockout";

const at = (s: number) => new Date(1_800_000_000_000 + s * 1000);

describe("Lockout", () => {
  it("locks after N failures within the window and unlocks after the lock time", () => {
    const l = new Lockout(3, 60);
    expect(l.recordFailure("A@x.io", at(0))).toBe(false);
    expect(l.recordFailure("a@x.io", at(1))).toBe(false);
    expect(l.recordFailure("a@X.io", at(2))).toBe(true);
    expect(() => l.assertOpen("a@x.io", at(3))).toThrow(LockedError);
    try {
      l.assertOpen("a@x.io", at(30));
    } catch (err) {
      expect((err as LockedError).status).toBe(429);
      expect((err as LockedError).code).toBe("over_request_rate_limit");
      expect((err as LockedError).retryAfterSeconds).toBe(32);
    }
    expect(() => l.assertOpen("a@x.io", at(63))).not.toThrow();
  });

  it("forgets failures older than the window and resets on success", () => {
    const l = new Lockout(2, 10);
    l.recordFailure("b@x.io", at(0));
    expect(l.recordFailure("b@x.io", at(11))).toBe(false);
    l.recordSuccess("b@x.io");
    expect(l.recordFailure("b@x.io", at(12))).toBe(false);
    expect(l.remaining("other@x.io", at(12))).toBe(0);
  });
});
