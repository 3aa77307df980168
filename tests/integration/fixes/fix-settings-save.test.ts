import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { readFixSettings, saveFixSettings } from "@/lib/fixes/settings-store";
import { type ApiUser, signedInUser } from "@/supabase/tests/helpers/api";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";

vi.mock("server-only", () => ({}));

/**
 * The Settings card's write (issue 17: review rounds per drafted PR, beside the auto-fix
 * threshold): as the signed-in owner through the REST gateway and RLS. The first save inserts
 * the workspace's row, the next updates it (people are granted the setting columns only, so an
 * upsert that also writes organization_id would be refused); an outsider can neither read nor
 * write it.
 */

let owner: ApiUser;
let outsider: ApiUser;
let organizationId = "";

beforeAll(async () => {
  owner = await signedInUser("fixset-owner");
  outsider = await signedInUser("fixset-outsider");
  const { data, error } = await owner.client.rpc("create_organization", {
    p_name: "Fix settings",
    p_slug: `fixset-${randomUUID().slice(0, 8)}`,
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
