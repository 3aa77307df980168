import type { User } from "@supabase/supabase-js";
import { describe, expect, it } from "vitest";
import { aalOfToken, assuranceOf, needsMfaChallenge } from "@/lib/auth/assurance";

const token = (claims: Record<string, unknown>) =>
  `h.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.s`;
const user = (statuses: string[]) =>
  ({ id: "u", factors: statuses.map((status, i) => ({ id: `f${i}`, status })) }) as unknown as User;

describe("lib/auth/assurance", () => {
  it("reads the aal claim and nothing else", () => {
    expect(aalOfToken(token({ aal: "aal2" }))).toBe("aal2");
    expect(aalOfToken(token({ aal: "aal9" }))).toBeNull();
    expect(aalOfToken("not-a-jwt")).toBeNull();
    expect(aalOfToken(undefined)).toBeNull();
  });

  it("requires the challenge only for a verified factor on an aal1 session", () => {
    expect(needsMfaChallenge(assuranceOf(user(["verified"]), token({ aal: "aal1" })))).toBe(true);
    expect(needsMfaChallenge(assuranceOf(user(["verified"]), token({ aal: "aal2" })))).toBe(false);
    expect(needsMfaChallenge(assuranceOf(user(["unverified"]), token({ aal: "aal1" })))).toBe(
      false,
    );
    expect(needsMfaChallenge(assuranceOf(user([]), token({ aal: "aal1" })))).toBe(false);
  });
});
