import type { OrgContext } from "@/lib/auth/guards";
import type { Action } from "@/lib/auth/permissions";
import { type Gates, gateSettingsSchema } from "./settings";
import { saveGates } from "./settings-store";

/**
 * Settings → Pipeline gates, the action's parts: who may save (`organization.update`: owners and
 * admins), the zod schema, and the work, written as the person (RLS and the table's checks
 * refuse anything else; a trigger writes `pipeline.gates_changed` to the audit log). The guarded
 * server action (`app/(app)/[org]/settings/actions.ts`) is `orgAction(SAVE_GATES, saveGatesFor)`
 * plus the page's revalidation; the integration test builds the same with the same guard.
 */
export const SAVE_GATES = {
  permission: "organization.update" as Action,
  schema: gateSettingsSchema,
};

export async function saveGatesFor({ org, input, supabase }: OrgContext<Gates>) {
  await saveGates(supabase, org.id, input);
  return {
    status: "success" as const,
    data: undefined,
    // the jobs read the gates when they decide a ticket: what is already decided stays
    message: "Pipeline gates saved. New tickets use them.",
  };
}
