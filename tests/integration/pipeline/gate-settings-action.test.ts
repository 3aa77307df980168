import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ActionFn } from "@/lib/auth/guards";
import { DEFAULT_GATES } from "@/lib/pipeline/gates/settings";
import { readGates } from "@/lib/pipeline/gates/settings-store";
import { type ApiUser, signedInUser } from "@/supabase/tests/helpers/api";
import { useDevstackAppEnv } from "@/supabase/tests/helpers/app-env";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";

vi.mock("server-only", () => ({}));

/**
 * Settings → "Pipeline gates": the server action as the app builds it (the real guard,
 * `orgAction(SAVE_GATES, saveGatesFor)`; tests may not import app/) against the real database.
 * The request's Supabase client is a supabase-js client signed in as the test's current user
 * (what cookies give the server client in the app). Owners and admins write the
 * row (audited by the table's trigger); a member or viewer is refused (403) and an outsider
 * gets not_found; bad input is a 422 with per-field messages and writes nothing.
 */
const current = vi.hoisted(() => ({ user: undefined as ApiUser | undefined }));
vi.mock("@/lib/supabase/server", async () => {
  const { anonClient } = await import("@/supabase/tests/helpers/api");
  return { createClient: async () => current.user?.client ?? anonClient() };
});

let owner: ApiUser;
let admin: ApiUser;
let member: ApiUser;
let viewer: ApiUser;
let outsider: ApiUser;
let slug = "";
let organizationId = "";
let save: ActionFn<undefined>;

beforeAll(async () => {
  useDevstackAppEnv();
  const { orgAction } = await import("@/lib/auth/guards");
  const { SAVE_GATES, saveGatesFor } = await import("@/lib/pipeline/gates/save-gates");
  save = orgAction(SAVE_GATES, saveGatesFor);
  owner = await signedInUser("gates-owner");
  admin = await signedInUser("gates-admin");
  member = await signedInUser("gates-member");
  viewer = await signedInUser("gates-viewer");
  outsider = await signedInUser("gates-outsider");
  slug = `gates-${owner.id.slice(0, 8)}`;
  const org = await owner.client.rpc("create_organization", { p_name: "Gates", p_slug: slug });
  if (org.error || !org.data) throw new Error(org.error?.message ?? "no workspace");
  organizationId = (org.data as { id: string }).id;
  for (const [user, role] of [
    [admin, "admin"],
    [member, "member"],
    [viewer, "viewer"],
  ] as const) {
    const inv = await owner.client
      .rpc("create_invitation", {
        p_organization_id: organizationId,
        p_email: user.email,
        p_role: role,
      })
      .single();
    if (inv.error) throw new Error(inv.error.message);
    const accepted = await user.client.rpc("accept_invitation", {
      p_token: (inv.data as { token: string }).token,
    });
    if (accepted.error) throw new Error(accepted.error.message);
  }
});
afterAll(closeDb);

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  data.append("org", slug);
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
}

const row = async () =>
  (
    await asSuperuser<{ extraction: string; mapping: string; updated_by: string }>(
      "select extraction_threshold::text as extraction, mapping_threshold::text as mapping, updated_by from public.pipeline_settings where organization_id = $1",
      [organizationId],
    )
  )[0];

const audits = async () =>
  asSuperuser<{ actor_id: string; metadata: Record<string, string | null> }>(
    "select actor_id, metadata from public.audit_log where organization_id = $1 and action = 'pipeline.gates_changed' order by id",
    [organizationId],
  );

describe("saveGateSettings", () => {
  it("reads the defaults before anyone saves", async () => {
    expect(await readGates(owner.client, organizationId)).toEqual(DEFAULT_GATES);
    expect(await row()).toBeUndefined();
  });

  it("an owner's first save inserts the row and audits it; an admin's update too", async () => {
    current.user = owner;
    const first = await save({ status: "idle" }, form({ extraction: "0.75", mapping: "0.9" }));
    expect(first).toMatchObject({
      status: "success",
      message: expect.stringMatching(/New tickets/),
    });
    expect(await row()).toEqual({ extraction: "0.75", mapping: "0.90", updated_by: owner.id });
    current.user = admin;
    const second = await save({ status: "idle" }, form({ extraction: "0.75", mapping: "0.85" }));
    expect(second.status).toBe("success");
    expect(await row()).toEqual({ extraction: "0.75", mapping: "0.85", updated_by: admin.id });
    expect(await readGates(viewer.client, organizationId)).toEqual({
      extraction: 0.75,
      mapping: 0.85,
    });
    const log = await audits();
    expect(log).toEqual([
      {
        actor_id: owner.id,
        metadata: {
          extraction_from: null,
          extraction_to: "0.75",
          mapping_from: null,
          mapping_to: "0.90",
        },
      },
      {
        actor_id: admin.id,
        metadata: {
          extraction_from: "0.75",
          extraction_to: "0.75",
          mapping_from: "0.90",
          mapping_to: "0.85",
        },
      },
    ]);
    // saving the same values again changes nothing and records nothing
    expect(
      (await save({ status: "idle" }, form({ extraction: "0.75", mapping: "0.85" }))).status,
    ).toBe("success");
    expect(await audits()).toHaveLength(2);
  });

  it("refuses a member and a viewer (403) and an outsider (not found), writing nothing", async () => {
    for (const user of [member, viewer]) {
      current.user = user;
      expect(
        await save({ status: "idle" }, form({ extraction: "0.1", mapping: "0.1" })),
      ).toMatchObject({
        status: "error",
        code: "forbidden",
      });
    }
    current.user = outsider;
    expect(
      await save({ status: "idle" }, form({ extraction: "0.1", mapping: "0.1" })),
    ).toMatchObject({
      status: "error",
      code: "not_found",
    });
    current.user = undefined;
    expect(
      await save({ status: "idle" }, form({ extraction: "0.1", mapping: "0.1" })),
    ).toMatchObject({
      status: "error",
      code: "unauthenticated",
    });
    expect(await row()).toMatchObject({ extraction: "0.75", mapping: "0.85" });
  });

  it("answers bad input with 422 and per-field messages, writing nothing", async () => {
    current.user = owner;
    for (const [fields, field, message] of [
      [{ extraction: "0.7", mapping: "1.5" }, "mapping", "Use a value between 0 and 1"],
      [{ extraction: "-0.1", mapping: "0.7" }, "extraction", "Use a value between 0 and 1"],
      [{ extraction: "0.7", mapping: "0.705" }, "mapping", "Use at most two decimals"],
      [{ extraction: "high", mapping: "0.7" }, "extraction", "Enter a number from 0 to 1"],
      // an empty field is an error, never 0 (a gate of 0 lets every bug through)
      [{ extraction: "0.7", mapping: "" }, "mapping", "Enter a number from 0 to 1"],
      [{ extraction: "0.7", mapping: " " }, "mapping", "Enter a number from 0 to 1"],
      [{ extraction: "", mapping: "0.7" }, "extraction", "Enter a number from 0 to 1"],
    ] as const) {
      const state = await save({ status: "idle" }, form(fields));
      expect(state).toMatchObject({ status: "error", code: "validation" });
      const errors = state.status === "error" ? state.fieldErrors[field] : undefined;
      expect(errors?.[0]).toMatch(message);
    }
    expect(await row()).toMatchObject({ extraction: "0.75", mapping: "0.85" });
    expect(await audits()).toHaveLength(2);
  });
});
