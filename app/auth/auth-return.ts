import "server-only";
import type { EmailOtpType } from "@supabase/supabase-js";
import { NextResponse } from "next/server";
import { z } from "zod";
import { assuranceOfLevels, needsMfaChallenge } from "@/lib/auth/assurance";
import { recordAuthEvent } from "@/lib/auth/audit";
import { publicRoute } from "@/lib/auth/guards";
import { mfaChallengeUrl, ROUTES, safeNextPath } from "@/lib/auth/routes";

const OTP_TYPES = [
  "signup",
  "invite",
  "magiclink",
  "recovery",
  "email_change",
  "email",
] as const satisfies readonly EmailOtpType[];

/**
 * The query an auth return carries. Every field is optional and loose on purpose: a link that is
 * malformed, expired or cancelled must land on sign-in with a readable notice, never on a 422.
 */
const authReturnQuery = z.object({
  next: z.string().optional(),
  code: z.string().optional(),
  token_hash: z.string().optional(),
  type: z.string().optional(),
  error: z.string().optional(),
});

/**
 * Finishes a sign-in that left the app: email links (confirmation, recovery) and OAuth
 * providers come back with a PKCE `code` (exchanged using the verifier cookie of this browser)
 * or a `token_hash` (verified). The session cookie is set, and the user goes on to `next`,
 * through the TOTP challenge first when they have a verified factor.
 *
 * A `publicRoute`: the person has no session yet (that is what this creates).
 */
export function authReturnRoute(kind: "email" | "oauth") {
  return publicRoute({ schema: authReturnQuery }, async ({ input, supabase, request }) => {
    const origin = new URL(request.url).origin;
    const next = safeNextPath(input.next);
    const failed = () =>
      NextResponse.redirect(
        new URL(`${ROUTES.signIn}?error=${kind === "oauth" ? "oauth" : "link"}`, origin),
        { status: 303 },
      );
    if (input.error) return failed();

    const type = OTP_TYPES.find((t) => t === input.type);
    let userId: string | undefined;
    if (input.code) {
      const { data, error } = await supabase.auth.exchangeCodeForSession(input.code);
      if (error) return failed();
      userId = data.user?.id;
    } else if (input.token_hash && type) {
      const { data, error } = await supabase.auth.verifyOtp({
        type,
        token_hash: input.token_hash,
      });
      if (error) return failed();
      userId = data.user?.id ?? undefined;
    } else {
      return failed();
    }
    if (userId) {
      await recordAuthEvent(
        kind === "oauth" ? "auth.oauth_sign_in" : "auth.sign_in",
        { userId },
        { method: kind === "oauth" ? "oauth" : "email_link" },
      );
    }

    const { data: levels } = await supabase.auth.mfa.getAuthenticatorAssuranceLevel();
    const target = needsMfaChallenge(assuranceOfLevels(levels)) ? mfaChallengeUrl(next) : next;
    return NextResponse.redirect(new URL(target, origin), { status: 303 });
  });
}
