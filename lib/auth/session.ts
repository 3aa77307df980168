import "server-only";
import type { User } from "@supabase/supabase-js";
import { redirect } from "next/navigation";
import { cache } from "react";
import { AppError } from "@/lib/errors";
import { createClient } from "@/lib/supabase/server";
import { type Assurance, assuranceOf, needsMfaChallenge } from "./assurance";
import { mfaChallengeUrl, ROUTES, signInUrl } from "./routes";

/**
 * Who is signed in, for server components, server actions and route handlers. Always verified by
 * the auth server (`getUser()`), never taken from the cookie's unverified copy; a forged or
 * expired cookie yields no user. The one session module: pages, guards and route handlers all
 * ask `getUser()` (or `requireUser()` in pages).
 */

/** The signed-in user, or null. Cached for the duration of one request. */
export const getUser = cache(async (): Promise<User | null> => {
  const supabase = await createClient();
  const { data, error } = await supabase.auth.getUser();
  if (error || !data.user) return null;
  return data.user;
});

/**
 * The session's assurance level (`current`) and what the user's factors require (`next`), from
 * the verified user and the verified claims of the access token. Use `needsMfaChallenge()` from `./assurance` on it.
 */
export const getAssurance = cache(async (): Promise<Assurance> => {
  const user = await getUser();
  if (!user) return { current: null, next: null };
  const supabase = await createClient();
  // getClaims() verifies the access token (locally against the project's signing keys, or with
  // the auth server for a symmetric key) before its aal claim is believed.
  const { data } = await supabase.auth.getClaims();
  return assuranceOf(user, data?.claims);
});

/** The signed-in user; throws `AppError("unauthenticated")` instead of redirecting. */
export async function requireUserOrThrow(): Promise<User> {
  const user = await getUser();
  if (!user) throw new AppError("unauthenticated");
  return user;
}

/**
 * For pages: the user, or a redirect to sign-in (returning to `next`). A user with a verified
 * TOTP factor whose session is still aal1 goes to the challenge first (middleware does too; pages
 * check again so the rule holds whatever the middleware matcher covers).
 */
export async function requireUser(next: string = ROUTES.home): Promise<User> {
  const user = await getUser();
  if (!user) redirect(signInUrl(next));
  if (needsMfaChallenge(await getAssurance())) redirect(mfaChallengeUrl(next));
  return user;
}
