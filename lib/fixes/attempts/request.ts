import "server-only";
import type { SupabaseClient } from "@supabase/supabase-js";
import { z } from "zod";
import { inngest } from "@/inngest/client";
import { fixAttemptRequested } from "@/inngest/events";
import { AppError, toAppError } from "@/lib/errors";
import type { Database } from "@/lib/supabase/database.types";

/** The bug page's "Propose a fix" / "Retry" form. */
export const proposeFixInput = z.object({ bugId: z.uuid() });

/**
 * A person's request for a fix: the queued attempt is inserted as them under RLS (bugs.write; the
 * database stamps who asked and refuses a bug that is not Mapped, or a second unfinished attempt),
 * then `fix/attempt.requested` starts the job (event id `fix-attempt:<attemptId>`).
 */
export async function requestFixAttempt(
  supabase: SupabaseClient<Database>,
  organizationId: string,
  bugId: string,
): Promise<string> {
  const { data, error } = await supabase
    .from("fix_attempts")
    .insert({ organization_id: organizationId, bug_id: bugId })
    .select("id")
    .single();
  if (error?.code === "23505")
    throw new AppError("conflict", "A fix attempt is already running for this bug.");
  if (error || !data) throw toAppError(error);
  try {
    await inngest.send(
      fixAttemptRequested.create(
        { organizationId, bugId, attemptId: data.id },
        { id: `fix-attempt:${data.id}` },
      ),
    );
  } catch (cause) {
    // the queued row stays; the database lets a new request replace it after five minutes
    throw new AppError("unavailable", "The fix attempt could not start. Try again in a moment.", {
      cause,
    });
  }
  return data.id;
}
