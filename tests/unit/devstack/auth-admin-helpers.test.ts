import { describe, expect, it } from "vitest";
import { parseBanDuration } from "@/devstack/auth/admin";
import { AuthError } from "@/devstack/auth/errors";
import { mergeMetadata } from "@/devstack/auth/user";

describe("parseBanDuration (Go's time.ParseDuration subset)", () => {
  it("parses hours, minutes, seconds and compounds; none is zero", () => {
    expect(parseBanDuration("24h")).toBe(24 * 3_600_000);
    expect(parseBanDuration("1h30m")).toBe(90 * 60_000);
    expect(parseBanDuration("90s")).toBe(90_000);
    expect(parseBanDuration("1.5h")).toBe(5_400_000);
    expect(parseBanDuration("none")).toBe(0);
  });

  it("refuses what Go refuses with 400 validation_failed", () => {
    for (const bad of ["", "24", "1d", "h", "24h junk", "-"]) {
      try {
        parseBanDuration(bad);
        expect.unreachable(bad);
      } catch (err) {
        expect(err).toBeInstanceOf(AuthError);
        expect((err as AuthError).code).toBe("validation_failed");
      }
    }
  });
});

describe("mergeMetadata (GoTrue's UpdateUserMetaData)", () => {
  it("merges keys and removes keys set to null", () => {
    expect(mergeMetadata({ a: 1, b: 2 }, { b: null, c: 3 })).toEqual({ a: 1, c: 3 });
    expect(mergeMetadata(null, { x: { y: 1 } })).toEqual({ x: { y: 1 } });
  });
});
