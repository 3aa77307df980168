import "server-only";
import type { EmailOtpType } from "@supabase/supabase-js";
import { type NextRequest, NextResponse } from "next/server";
import { safeNext } from "./site";
import { getSupabase } from "./supabase";

const OTP_TYPES = new Set<EmailOtpType>([
  "signup",
  "invite",
  "magiclink",
  "recovery",
  "email_change",
  "email",
]);

/**
 * Finishes a sign-in that left the app: email links (confirmation, recovery) and OAuth
 * providers come back with a PKCE `code` (exchanged using the verifier cookie of this browser)
 * or a `token_hash` (verified). The session cookie is set, and the user goes on to `next`,
 * through the TOTP challenge first when they have a verified factor.
 */
export async function finishAuthReturn(request: NextRequest, kind: "email" | "oauth") {
  const url = request.nextUrl;
  const next = safeNext(url.searchParams.get("next"));
  const code = url.searchParams.get("code");
  const tokenHash = url.searchParams.get("token_hash");
  const type = url.searchParams.get("type") as EmailOtpType | null;
  const failed = () =>
    NextResponse.redirect(
      new URL(`/sign-in?error=${kind === "oauth" ? "oauth" : "link"}`, url.origin),
      { status: 303 },
    );

  if (url.searchParams.get("error")) return failed();

  const supabase = await getSupabase();
  if (code) {
    const { error } = await supabase.auth.exchangeCodeForSession(code);
    if (error) return failed();
  } else if (tokenHash && type && OTP_TYPES.has(type)) {
    const { error } = await supabase.auth.verifyOtp({ type, token_hash: tokenHash });
    if (error) return failed();
  } else {
    return failed();
  }

  const { data: aal } = await supabase.auth.mfa.getAuthenticatorAssuranceLevel();
  const target =
    aal?.nextLevel === "aal2" && aal.currentLevel !== "aal2"
      ? `/mfa?next=${encodeURIComponent(next)}`
      : next;
  return NextResponse.redirect(new URL(target, url.origin), { status: 303 });
}
