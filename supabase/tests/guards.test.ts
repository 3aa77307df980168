import { beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { type ApiUser, signedInUser } from "./helpers/api";
import { useDevstackAppEnv } from "./helpers/app-env";

vi.mock("server-only", () => ({}));

/**
 * The guards in lib/auth/guards.ts against the real database: the request's Supabase client is
 * replaced by a supabase-js client signed in as the test's current user (what cookies give the
 * server client in the app); everything else is the real code.
 */
const current = vi.hoisted(() => ({ user: undefined as ApiUser | undefined }));
vi.mock("@/lib/supabase/server", async () => {
  const { anonClient } = await import("./helpers/api");
  return { createClient: async () => current.user?.client ?? anonClient() };
});

let owner: ApiUser;
let viewer: ApiUser;
let outsider: ApiUser;
let slug: string;
let guards: typeof import("@/lib/auth/guards");

beforeAll(async () => {
  useDevstackAppEnv();
  guards = await import("@/lib/auth/guards");
  owner = await signedInUser("guard-owner");
  viewer = await signedInUser("guard-viewer");
  outsider = await signedInUser("guard-outsider");
  slug = `guard-${owner.id.slice(0, 8)}`;
  const org = await owner.client.rpc("create_organization", { p_name: "Guarded", p_slug: slug });
  if (org.error || !org.data) throw new Error("no workspace");
  const inv = await owner.client
    .rpc("create_invitation", {
      p_organization_id: org.data.id,
      p_email: viewer.email,
      p_role: "viewer",
    })
    .single();
  await viewer.client.rpc("accept_invitation", { p_token: inv.data?.token ?? "" });
});

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
}

const renameSchema = z.object({ name: z.string().trim().min(1, "Enter a name") });

describe("orgAction", () => {
  const rename = () =>
    guards.orgAction(
      { permission: "organization.update", schema: renameSchema },
      async ({ org, role, input, user }) => ({
        org: org.slug,
        role,
        name: input.name,
        user: user.id,
      }),
    );

  it("hands the handler the user, workspace, role and parsed input", async () => {
    current.user = owner;
    const state = await rename()({ status: "idle" }, form({ org: slug, name: " New " }));
    expect(state).toEqual({
      status: "success",
      data: { org: slug, role: "owner", name: "New", user: owner.id },
    });
  });

  it("refuses a member whose role lacks the permission (403) and echoes safe values", async () => {
    current.user = viewer;
    const state = await rename()({ status: "idle" }, form({ org: slug, name: "X", password: "p" }));
    expect(state).toMatchObject({ status: "error", code: "forbidden", values: { name: "X" } });
    expect(state.status === "error" && state.values.password).toBeUndefined();
  });

  it("answers not_found to an outsider and for an unknown workspace", async () => {
    current.user = outsider;
    expect(await rename()({ status: "idle" }, form({ org: slug, name: "X" }))).toMatchObject({
      status: "error",
      code: "not_found",
    });
    current.user = owner;
    expect(
      await rename()({ status: "idle" }, form({ org: "no-such-ws", name: "X" })),
    ).toMatchObject({
      status: "error",
      code: "not_found",
    });
  });

  it("returns per-field errors for invalid input", async () => {
    current.user = owner;
    const state = await rename()({ status: "idle" }, form({ org: slug, name: "  " }));
    expect(state).toMatchObject({
      status: "error",
      code: "validation",
      message: "Name: Enter a name",
      fieldErrors: { name: ["Enter a name"] },
    });
  });

  it("answers unauthenticated without a session", async () => {
    current.user = undefined;
    expect(await rename()({ status: "idle" }, form({ org: slug, name: "X" }))).toMatchObject({
      status: "error",
      code: "unauthenticated",
    });
  });

  it("hides unexpected errors behind a generic message", async () => {
    current.user = owner;
    const failing = guards.orgAction(
      { permission: "organization.read", schema: z.object({}) },
      async () => {
        throw new Error("db password=hunter2 at 10.0.0.1");
      },
    );
    const state = await failing({ status: "idle" }, form({ org: slug }));
    expect(state).toMatchObject({ status: "error", code: "internal" });
    expect(JSON.stringify(state)).not.toMatch(/hunter2|10\.0\.0\.1/);
  });
});

describe("orgRoute", () => {
  const route = () =>
    guards.orgRoute(
      { permission: "members.read", schema: z.object({ q: z.string().max(5).optional() }) },
      async ({ org, role, input }) => ({ org: org.slug, role, q: input.q ?? null }),
    );
  const call = (path: string, params: Record<string, string>) =>
    route()(new Request(`http://app.test${path}`), { params: Promise.resolve(params) });

  it("200 with JSON for a member", async () => {
    current.user = viewer;
    const res = await call("/x?q=abc", { org: slug });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ org: slug, role: "viewer", q: "abc" });
  });

  it("404 for an outsider, 401 without a session, 422 for bad input", async () => {
    current.user = outsider;
    const notYours = await call("/x", { org: slug });
    expect(notYours.status).toBe(404);
    expect(await notYours.json()).toEqual({
      error: { code: "not_found", message: "Workspace not found" },
    });
    current.user = undefined;
    expect((await call("/x", { org: slug })).status).toBe(401);
    current.user = owner;
    const bad = await call("/x?q=toolong", { org: slug });
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.fields.q).toHaveLength(1);
  });
});

describe("session helpers", () => {
  it("getMemberships lists exactly the caller's workspaces with their role", async () => {
    const session = {
      ...(await import("@/lib/auth/session")),
      ...(await import("@/lib/organizations/memberships")),
    };
    current.user = viewer;
    expect(await session.getMemberships()).toEqual([
      { organization: { id: expect.any(String), name: "Guarded", slug }, role: "viewer" },
    ]);
    current.user = outsider;
    expect(await session.getMemberships()).toEqual([]);
    current.user = undefined;
    expect(await session.getMemberships()).toEqual([]);
    await expect(session.requireUserOrThrow()).rejects.toMatchObject({ code: "unauthenticated" });
  });
});
