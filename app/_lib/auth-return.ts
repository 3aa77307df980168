import "server-only";
import type { EmailOtpType } from "@supabase/supabase-js";
import { type NextRequest, NextResponse } from "next/server";
import { recordAuthEvent } from "@/lib/auth/audit";
import { ROUTES, safeNextPath } from "@/lib/auth/routes";
import { createClient } from "@/lib/supabase/server";

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
  const next = safeNextPath(url.searchParams.get("next"));
  const code = url.searchParams.get("code");
  const tokenHash = url.searchParams.get("token_hash");
  const type = url.searchParams.get("type") as EmailOtpType | null;
  const failed = () =>
    NextResponse.redirect(
      new URL(`${ROUTES.signIn}?error=${kind === "oauth" ? "oauth" : "link"}`, url.origin),
      { status: 303 },
    );

  if (url.searchParams.get("error")) return failed();

  const supabase = await createClient();
  let userId: string | undefined;
  if (code) {
    const { data, error } = await supabase.auth.exchangeCodeForSession(code);
    if (error) return failed();
    userId = data.user?.id;
  } else if (tokenHash && type && OTP_TYPES.has(type)) {
    const { data, error } = await supabase.auth.verifyOtp({ type, token_hash: tokenHash });
    if (error) return failed();
    userId = data.user?.id ?? undefined;
  } else {
    return failed();
  }
  if (userId) {
    await recordAuthEvent(
      kind === "oauth" ? "auth.oauth_sign_in" : "auth.sign_in",
      { userId },
      {
        method: kind === "oauth" ? "oauth" : "email_link",
      },
    );
  }

  const { data: aal } = await supabase.auth.mfa.getAuthenticatorAssuranceLevel();
  const target =
    aal?.nextLevel === "aal2" && aal.currentLevel !== "aal2"
      ? `${ROUTES.mfaChallenge}?next=${encodeURIComponent(next)}`
      : next;
  return NextResponse.redirect(new URL(target, url.origin), { status: 303 });
}
