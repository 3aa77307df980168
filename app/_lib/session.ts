import "server-only";
import type { User } from "@supabase/supabase-js";
import { redirect } from "next/navigation";
import { cache } from "react";
import { ROUTES, signInUrl } from "@/lib/auth/routes";
import { getUser } from "@/lib/auth/session";
import { createClient } from "@/lib/supabase/server";

/** The signed-in user, verified by the auth server (`getUser()`), or null. */
export const getCurrentUser = getUser;

/** This session's assurance level, and the level the user's factors call for. */
export const getAssurance = cache(async () => {
  const supabase = await createClient();
  const { data } = await supabase.auth.mfa.getAuthenticatorAssuranceLevel();
  return { current: data?.currentLevel ?? "aal1", next: data?.nextLevel ?? "aal1" };
});

/**
 * The user, or a redirect to sign-in (returning to `next`). A user with a verified TOTP factor
 * whose session is still aal1 goes to the challenge first (middleware does too; pages check
 * again so the rule holds whatever the middleware matcher covers).
 */
export async function requireUser(next: string = ROUTES.home): Promise<User> {
  const user = await getUser();
  if (!user) redirect(signInUrl(next));
  const aal = await getAssurance();
  if (aal.next === "aal2" && aal.current !== "aal2") {
    redirect(`${ROUTES.mfaChallenge}?next=${encodeURIComponent(next)}`);
  }
  return user;
}
