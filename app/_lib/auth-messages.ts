import type { AuthError } from "@supabase/supabase-js";

/**
 * What to tell a person when the auth server refuses a sign-in. Brute-force lockout, an
 * unconfirmed email and wrong credentials each get their own sentence; anything else gets a
 * generic line (the code is logged, never shown).
 */
export function signInErrorMessage(error: Pick<AuthError, "code" | "status" | "message">): {
  kind: "invalid" | "unconfirmed" | "locked" | "other";
  message: string;
} {
  const code = error.code ?? "";
  if (code === "email_not_confirmed") {
    return {
      kind: "unconfirmed",
      message:
        "Your email address is not confirmed yet. Open the link we emailed you, or send a new one below.",
    };
  }
  if (
    error.status === 429 ||
    code === "over_request_rate_limit" ||
    code === "too_many_requests" ||
    code === "user_locked" ||
    code === "user_banned"
  ) {
    return {
      kind: "locked",
      message:
        "Too many failed sign-in attempts. Sign-in for this account is paused for a few minutes; try again later or reset your password.",
    };
  }
  if (code === "invalid_credentials" || error.status === 400) {
    return { kind: "invalid", message: "The email or password is incorrect." };
  }
  return { kind: "other", message: "We could not sign you in right now. Please try again." };
}
