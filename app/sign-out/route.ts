import { NextResponse } from "next/server";
import { z } from "zod";
import { recordAuthEvent } from "@/lib/auth/audit";
import { publicRoute } from "@/lib/auth/guards";
import { ROUTES } from "@/lib/auth/routes";
import { getUser } from "@/lib/auth/session";

/**
 * Signs this browser out (other devices stay signed in) and goes to the sign-in page. POST
 * only, from a same-origin form: SameSite=Lax keeps the cookies off cross-site posts, and a
 * foreign Origin is refused as well. A `publicRoute`, not `userRoute`: signing out without a
 * session (already expired) must still land on sign-in, not on a 401.
 */
export const POST = publicRoute({ schema: z.object({}) }, async ({ supabase, request }) => {
  const origin = new URL(request.url).origin;
  const from = request.headers.get("origin");
  if (from && from !== origin) return new NextResponse(null, { status: 403 });
  const user = await getUser();
  await supabase.auth.signOut({ scope: "local" });
  if (user) await recordAuthEvent("auth.sign_out", { userId: user.id });
  return NextResponse.redirect(new URL(`${ROUTES.signIn}?notice=signed-out`, origin), {
    status: 303,
  });
});
