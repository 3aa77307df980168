"use server";

import { redirect } from "next/navigation";
import { getSupabase } from "@/app/_lib/supabase";

/** Ends this browser's session (other devices stay signed in) and returns to sign-in. */
export async function signOut(): Promise<void> {
  const supabase = await getSupabase();
  await supabase.auth.signOut({ scope: "local" });
  redirect("/sign-in?notice=signed-out");
}
