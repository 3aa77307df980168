import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ActionFn } from "@/lib/auth/guards";
import { readFixSettings, saveFixSettings } from "@/lib/fixes/settings-store";
import { type ApiUser, signedInUser } from "@/supabase/tests/helpers/api";
import { useDevstackAppEnv } from "@/supabase/tests/helpers/app-env";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";

vi.mock("server-only", () => ({}));

// The action's Supabase client: the test's current user (what cookies give the app's server client).
const current = vi.hoisted(() => ({ user: undefined as ApiUser | undefined }));
vi.mock("@/lib/supabase/server", async () => {
  const { anonClient } = await import("@/supabase/tests/helpers/api");
  return { createClient: async () => current.user?.client ?? anonClient() };
});

/**
 * The Settings card's write (issue 17: review rounds per drafted PR, beside the auto-fix
 * threshold): as the signed-in owner through the REST gateway and RLS. The first save inserts
 * the workspace's row, the next updates it (people are granted the setting columns only, so an
 * upsert that also writes organization_id would be refused); an outsider can neither read nor
 * write it. The server action as the app builds it (`orgAction(SAVE_FIX_SETTINGS,
 * saveFixSettingsFor)`) answers bad input, an empty threshold included, with a 422 and writes
 * nothing.
 */

let owner: ApiUser;
let outsider: ApiUser;
let organizationId = "";
let slug = "";
let save: ActionFn<undefined>;

beforeAll(async () => {
  useDevstackAppEnv();
  const { orgAction } = await import("@/lib/auth/guards");
  const { SAVE_FIX_SETTINGS, saveFixSettingsFor } = await import("@/lib/fixes/save-fix-settings");
  save = orgAction(SAVE_FIX_SETTINGS, saveFixSettingsFor);
  owner = await signedInUser("fixset-owner");
  outsider = await signedInUser("fixset-outsider");
  slug = `fixset-${randomUUID().slice(0, 8)}`;
  const { data, error } = await owner.client.rpc("create_organization", {
    p_name: "Fix settings",
    p_slug: slug,
  });
  if (error) throw new Error(error.message);
  organizationId = (data as { id: string }).id;
});
afterAll(closeDb);

const row = async () =>
  (
    await asSuperuser<{
      review_rounds_max: number;
      auto_fix_threshold: string;
      updated_by: string;
    }>(
      "select review_rounds_max, auto_fix_threshold::text, updated_by from public.fix_settings where organization_id = $1",
      [organizationId],
    )
  )[0];

describe("saving the fix settings as a person", () => {
  it("reads the defaults, inserts on the first save and updates on the next", async () => {
    expect(await readFixSettings(owner.client, organizationId)).toEqual({
      autoFixThreshold: 0.9,
      rcaApprovalRequired: true,
      rcaMinClusterSize: 3,
      reviewRoundsMax: 3,
    });
    expect(await row()).toBeUndefined();
    const settings = {
      autoFixThreshold: 0.95,
      rcaApprovalRequired: true,
      rcaMinClusterSize: 3,
      reviewRoundsMax: 2,
    };
    await saveFixSettings(owner.client, organizationId, settings);
    expect(await row()).toMatchObject({
      review_rounds_max: 2,
      auto_fix_threshold: "0.95",
      updated_by: owner.id,
    });
    await saveFixSettings(owner.client, organizationId, { ...settings, reviewRoundsMax: 5 });
    expect((await row())?.review_rounds_max).toBe(5);
    expect((await readFixSettings(owner.client, organizationId)).reviewRoundsMax).toBe(5);
  });

  it("the table's bound refuses 21 rounds; an outsider writes nothing", async () => {
    const settings = await readFixSettings(owner.client, organizationId);
    await expect(
      saveFixSettings(owner.client, organizationId, { ...settings, reviewRoundsMax: 21 }),
    ).rejects.toThrow(/23514/);
    await expect(
      saveFixSettings(outsider.client, organizationId, { ...settings, reviewRoundsMax: 0 }),
    ).rejects.toThrow(/42501/);
    expect((await row())?.review_rounds_max).toBe(5);
  });
});

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  data.append("org", slug);
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
}

describe("saveFixSettings, the action", () => {
  const valid = { autoFixThreshold: "0.8", rcaMinClusterSize: "3", reviewRoundsMax: "2" };

  it("saves a valid form as the owner", async () => {
    current.user = owner;
    const state = await save({ status: "idle" }, form(valid));
    expect(state).toMatchObject({ status: "success", message: "Fix settings saved." });
    expect(await row()).toMatchObject({ auto_fix_threshold: "0.80", review_rounds_max: 2 });
  });

  it("answers an empty or out-of-range threshold with 422 beside the field, writing nothing", async () => {
    current.user = owner;
    for (const [threshold, message] of [
      // empty is an error, never 0 (a threshold of 0 would auto-fix every Mapped Bug)
      ["", "Enter a number from 0 to 1"],
      ["  ", "Enter a number from 0 to 1"],
      ["often", "Enter a number from 0 to 1"],
      ["1.5", "Use a value between 0 and 1"],
      ["0.855", "Use at most two decimals"],
    ] as const) {
      const state = await save(
        { status: "idle" },
        form({ ...valid, autoFixThreshold: threshold, reviewRoundsMax: "7" }),
      );
      expect(state, threshold).toMatchObject({ status: "error", code: "validation" });
      const errors = state.status === "error" ? state.fieldErrors.autoFixThreshold : undefined;
      expect(errors?.[0], threshold).toBe(message);
    }
    expect(await row()).toMatchObject({ auto_fix_threshold: "0.80", review_rounds_max: 2 });
  });

  it("refuses an outsider as not found", async () => {
    current.user = outsider;
    expect(await save({ status: "idle" }, form(valid))).toMatchObject({
      status: "error",
      code: "not_found",
    });
    current.user = undefined;
  });
});
