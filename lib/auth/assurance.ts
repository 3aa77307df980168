import type { User } from "@supabase/supabase-js";

/** The session's authenticator assurance level and the level the user's factors call for. */
export interface Assurance {
  /** "aal1" (password/OAuth) or "aal2" (second factor verified), from the access token. */
  current: "aal1" | "aal2" | null;
  /** "aal2" when the user has a verified factor, else the current level. */
  next: "aal1" | "aal2" | null;
}

/** Reads the `aal` claim of an access token that the auth server has already verified. */
export function aalOfToken(accessToken: string | undefined): Assurance["current"] {
  const payload = accessToken?.split(".")[1];
  if (!payload) return null;
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as {
      aal?: unknown;
    };
    return json.aal === "aal1" || json.aal === "aal2" ? json.aal : null;
  } catch {
    return null;
  }
}

/**
 * The assurance of a session from the verified user (fresh factors from `getUser()`) and its
 * access token, without reading the cookie's copy of the user (which auth-js rightly warns about).
 */
export function assuranceOf(user: User, accessToken: string | undefined): Assurance {
  const current = aalOfToken(accessToken);
  const verified = (user.factors ?? []).some((factor) => factor.status === "verified");
  return { current, next: verified ? "aal2" : current };
}

/** True when the user must pass the second-factor challenge before seeing any data. */
export function needsMfaChallenge(assurance: Assurance): boolean {
  return assurance.next === "aal2" && assurance.current !== "aal2";
}
