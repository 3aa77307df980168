import type { NextRequest } from "next/server";
import { finishAuthReturn } from "@/app/_lib/auth-return";

/** Email links (sign-up confirmation, password recovery) land here. */
export function GET(request: NextRequest) {
  return finishAuthReturn(request, "email");
}
