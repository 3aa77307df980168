import { afterAll, describe, expect, it } from "vitest";
import { FIX_SETTINGS_DEFAULTS, fixSettingsFromRow } from "@/lib/fixes/settings";
import type { FixSettingsRow } from "@/lib/supabase/fixes.types";
import { asOk, asSuperuser, closeDb, createUser } from "./helpers/db";

/**
 * The code's fix-settings defaults (used when a workspace has no row) are the table's column
 * defaults: a row inserted with nothing but the workspace reads back as FIX_SETTINGS_DEFAULTS.
 */

afterAll(closeDb);

describe("fix_settings defaults", () => {
  it("match lib/fixes/settings.ts", async () => {
    const owner = await createUser("fix-defaults");
    const [org] = await asOk<{ id: string }>(
      owner,
      "select id from public.create_organization('Defaults', $1)",
      [`defaults-${Date.now().toString(36)}`],
    );
    const [row] = await asSuperuser<FixSettingsRow>(
      "insert into public.fix_settings (organization_id) values ($1) returning *",
      [org?.id],
    );
    expect(fixSettingsFromRow(row)).toEqual(FIX_SETTINGS_DEFAULTS);
    expect(fixSettingsFromRow(null)).toEqual(FIX_SETTINGS_DEFAULTS);
  });
});
