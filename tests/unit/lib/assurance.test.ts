import type { User } from "@supabase/supabase-js";
import { describe, expect, it } from "vitest";
import { aalOfClaims, assuranceOf, needsMfaChallenge } from "@/lib/auth/assurance";

const user = (statuses: string[]) =>
  ({ id: "u", factors: statuses.map((status, i) => ({ id: `f${i}`, status })) }) as unknown as User;

describe("lib/auth/assurance", () => {
  it("reads the aal claim and nothing else", () => {
    expect(aalOfClaims({ aal: "aal2" })).toBe("aal2");
    expect(aalOfClaims({ aal: "aal9" })).toBeNull();
    expect(aalOfClaims(null)).toBeNull();
    expect(aalOfClaims(undefined)).toBeNull();
  });

  it("requires the challenge only for a verified factor on an aal1 session", () => {
    expect(needsMfaChallenge(assuranceOf(user(["verified"]), { aal: "aal1" }))).toBe(true);
    expect(needsMfaChallenge(assuranceOf(user(["verified"]), { aal: "aal2" }))).toBe(false);
    expect(needsMfaChallenge(assuranceOf(user(["unverified"]), { aal: "aal1" }))).toBe(false);
    expect(needsMfaChallenge(assuranceOf(user([]), { aal: "aal1" }))).toBe(false);
  });
});
