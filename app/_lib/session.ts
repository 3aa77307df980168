import "server-only";
import type { User } from "@supabase/supabase-js";
import { redirect } from "next/navigation";
import { needsMfaChallenge } from "@/lib/auth/assurance";
import { ROUTES, signInUrl } from "@/lib/auth/routes";
import { getAssurance, getUser } from "@/lib/auth/session";

/** The signed-in user, verified by the auth server (`getUser()`), or null. */
export const getCurrentUser = getUser;

/**
 * This session's assurance level, and the level the user's verified factors call for (from the
 * verified user, never the cookie's copy).
 */
export { getAssurance };

/**
 * The user, or a redirect to sign-in (returning to `next`). A user with a verified TOTP factor
 * whose session is still aal1 goes to the challenge first (middleware does too; pages check
 * again so the rule holds whatever the middleware matcher covers).
 */
export async function requireUser(next: string = ROUTES.home): Promise<User> {
  const user = await getUser();
  if (!user) redirect(signInUrl(next));
  if (needsMfaChallenge(await getAssurance())) {
    redirect(`${ROUTES.mfaChallenge}?next=${encodeURIComponent(next)}`);
  }
  return user;
}
