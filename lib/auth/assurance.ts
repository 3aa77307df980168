import type { User } from "@supabase/supabase-js";

/** The session's authenticator assurance level and the level the user's factors call for. */
export interface Assurance {
  /** "aal1" (password/OAuth) or "aal2" (second factor verified), from the access token. */
  current: "aal1" | "aal2" | null;
  /** "aal2" when the user has a verified factor, else the current level. */
  next: "aal1" | "aal2" | null;
}

/** The `aal` claim of access-token claims that `getClaims()` has verified. */
export function aalOfClaims(claims: { aal?: unknown } | null | undefined): Assurance["current"] {
  const aal = claims?.aal;
  return aal === "aal1" || aal === "aal2" ? aal : null;
}

/**
 * The assurance of a session from the verified user (fresh factors from `getUser()`) and the
 * verified claims of its access token (`getClaims()`), never from the cookie's copy of either.
 */
export function assuranceOf(user: User, claims: { aal?: unknown } | null | undefined): Assurance {
  const current = aalOfClaims(claims);
  const verified = (user.factors ?? []).some((factor) => factor.status === "verified");
  return { current, next: verified ? "aal2" : current };
}

/** True when the user must pass the second-factor challenge before seeing any data. */
export function needsMfaChallenge(assurance: Assurance): boolean {
  return assurance.next === "aal2" && assurance.current !== "aal2";
}
