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

/**
 * The assurance that supabase-js reports for the session a client holds right now
 * (`mfa.getAuthenticatorAssuranceLevel()`), for the moment right after a sign-in or code
 * exchange, before a request carries the new cookie. Decide with `needsMfaChallenge()`.
 */
export function assuranceOfLevels(
  levels: { currentLevel: string | null; nextLevel: string | null } | null | undefined,
): Assurance {
  const level = (value: string | null | undefined) =>
    value === "aal1" || value === "aal2" ? value : null;
  return { current: level(levels?.currentLevel), next: level(levels?.nextLevel) };
}
