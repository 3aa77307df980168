import type { OrgContext } from "@/lib/auth/guards";
import type { Action } from "@/lib/auth/permissions";
import { type FixSettings, fixSettingsSchema } from "./settings";
import { saveFixSettings } from "./settings-store";

/**
 * Settings → Fix settings, the action's parts: who may save (`organization.update`: owners and
 * admins), the zod schema, and the work, written as the person (RLS and the table's checks refuse
 * anything else). The guarded server action (`app/(app)/[org]/settings/actions.ts`) is
 * `orgAction(SAVE_FIX_SETTINGS, saveFixSettingsFor)` plus the page's revalidation; the
 * integration test builds the same with the same guard (tests may not import app/).
 */
export const SAVE_FIX_SETTINGS = {
  permission: "organization.update" as Action,
  schema: fixSettingsSchema,
};

export async function saveFixSettingsFor({ org, input, supabase }: OrgContext<FixSettings>) {
  await saveFixSettings(supabase, org.id, input);
  return { status: "success" as const, data: undefined, message: "Fix settings saved." };
}
