import type { NextRequest } from "next/server";
import { finishAuthReturn } from "@/app/_lib/auth-return";

/** GitHub and Google sign-in return here with `?code=`. */
export function GET(request: NextRequest) {
  return finishAuthReturn(request, "oauth");
}
