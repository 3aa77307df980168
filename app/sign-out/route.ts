import { type NextRequest, NextResponse } from "next/server";
import { recordAuthEvent } from "@/lib/auth/audit";
import { ROUTES } from "@/lib/auth/routes";
import { getUser } from "@/lib/auth/session";
import { createClient } from "@/lib/supabase/server";

/**
 * Signs this browser out (other devices stay signed in) and goes to the sign-in page. POST
 * only, from a same-origin form: SameSite=Lax keeps the cookies off cross-site posts, and a
 * foreign Origin is refused as well.
 */
export async function POST(request: NextRequest) {
  const origin = request.headers.get("origin");
  if (origin && origin !== request.nextUrl.origin) {
    return new NextResponse(null, { status: 403 });
  }
  const user = await getUser();
  const supabase = await createClient();
  await supabase.auth.signOut({ scope: "local" });
  if (user) await recordAuthEvent("auth.sign_out", { userId: user.id });
  return NextResponse.redirect(
    new URL(`${ROUTES.signIn}?notice=signed-out`, request.nextUrl.origin),
    {
      status: 303,
    },
  );
}
