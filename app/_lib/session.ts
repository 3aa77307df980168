import "server-only";
import type { User } from "@supabase/supabase-js";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getSupabase } from "./supabase";

/**
 * The signed-in user, verified by the auth server (`getUser()`, never `getSession()`),
 * or null. Memoised per request so layout and page share one round-trip.
 */
export const getCurrentUser = cache(async (): Promise<User | null> => {
  const supabase = await getSupabase();
  const { data, error } = await supabase.auth.getUser();
  if (error || !data.user) return null;
  return data.user;
});

/** The assurance level of this session and the one the user could reach (aal2 with a factor). */
export const getAssurance = cache(async () => {
  const supabase = await getSupabase();
  const { data } = await supabase.auth.mfa.getAuthenticatorAssuranceLevel();
  return {
    current: data?.currentLevel ?? "aal1",
    next: data?.nextLevel ?? "aal1",
  };
});

/**
 * The user, or a redirect to sign-in (coming back to `next` afterwards). A user with a
 * verified TOTP factor whose session is still aal1 is sent to the MFA challenge first.
 */
export async function requireUser(next = "/"): Promise<User> {
  const user = await getCurrentUser();
  if (!user) redirect(`/sign-in?next=${encodeURIComponent(next)}`);
  const aal = await getAssurance();
  if (aal.next === "aal2" && aal.current !== "aal2") {
    redirect(`/mfa?next=${encodeURIComponent(next)}`);
  }
  return user;
}
