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
    return { kind: "locked", message: lockedMessage(error.message) };
  }
  if (code === "invalid_credentials" || error.status === 400) {
    return { kind: "invalid", message: "The email or password is incorrect." };
  }
  return { kind: "other", message: "We could not sign you in right now. Please try again." };
}

/** "Try again in N seconds" from the auth server, rounded up to minutes when it says so. */
function lockedMessage(serverMessage: string | undefined): string {
  const base = "Too many failed sign-in attempts, so sign-in for this account is paused.";
  const seconds = Number(/in (\d+) seconds?/i.exec(serverMessage ?? "")?.[1]);
  if (Number.isFinite(seconds) && seconds > 0) {
    const wait = seconds < 90 ? `${seconds} seconds` : `about ${Math.ceil(seconds / 60)} minutes`;
    return `${base} Try again in ${wait}, or reset your password.`;
  }
  return `${base} Try again in a few minutes, or reset your password.`;
}
