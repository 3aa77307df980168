import { beforeAll, describe, expect, it, vi } from "vitest";
import { type ApiUser, signedInUser } from "./helpers/api";
import { useDevstackAppEnv } from "./helpers/app-env";
import { asSuperuser } from "./helpers/db";

vi.mock("server-only", () => ({}));

/** lib/supabase/admin.ts: every use is recorded before the client is handed out. */

let owner: ApiUser;
let orgId: string;
let admin: typeof import("@/lib/supabase/admin");
let audit: typeof import("@/lib/auth/audit");

beforeAll(async () => {
  useDevstackAppEnv();
  admin = await import("@/lib/supabase/admin");
  audit = await import("@/lib/auth/audit");
  owner = await signedInUser("admin-use");
  const { data, error } = await owner.client.rpc("create_organization", {
    p_name: "Audited",
    p_slug: `audited-${owner.id.slice(0, 8)}`,
  });
  if (error || !data) throw new Error("no workspace");
  orgId = data.id;
});

async function adminUses(reason: string) {
  return asSuperuser<{
    organization_id: string | null;
    metadata: { reason: string; scope: string };
  }>(
    "select organization_id, metadata from public.audit_log where action = 'admin_client.used' and metadata->>'reason' = $1",
    [reason],
  );
}

describe("createAdminClient", () => {
  it("records a use for an organization, visible to its owner, and bypasses RLS", async () => {
    const reason = `test use ${Date.now()}`;
    const client = await admin.createAdminClient({ reason, organizationId: orgId });
    expect(await adminUses(reason)).toEqual([
      { organization_id: orgId, metadata: { reason, scope: "organization" } },
    ]);
    const all = await client.from("organizations").select("id").eq("id", orgId);
    expect(all.data).toEqual([{ id: orgId }]);
    const seen = await owner.client.rpc("list_audit_log", { p_organization_id: orgId });
    expect(seen.data?.some((e) => e.action === "admin_client.used")).toBe(true);
  });

  it("records a use without an organization with its stated reason", async () => {
    const reason = `oauth ${Date.now()}`;
    await admin.createAdminClient({ reason, noOrganization: "oauth-callback" });
    expect(await adminUses(reason)).toEqual([
      { organization_id: null, metadata: { reason, scope: "oauth-callback" } },
    ]);
  });

  it("refuses a use without a reason or with a made-up scope, and records nothing", async () => {
    await expect(admin.createAdminClient({ reason: "", organizationId: orgId })).rejects.toThrow(
      /reason/,
    );
    await expect(
      admin.createAdminClient({ reason: "x y z", organizationId: "not-a-uuid" }),
    ).rejects.toThrow();
    await expect(
      admin.createAdminClient({
        reason: "sneaky",
        noOrganization: "because" as unknown as "oauth-callback",
      }),
    ).rejects.toThrow();
    expect(await adminUses("sneaky")).toEqual([]);
  });
});

describe("recordAuthEvent", () => {
  it("writes the event into every workspace of the user, by id or by email", async () => {
    await audit.recordAuthEvent("auth.sign_in", { userId: owner.id });
    await audit.recordAuthEvent("auth.sign_in_failed", { email: owner.email.toUpperCase() });
    const seen = await owner.client.rpc("list_audit_log", { p_organization_id: orgId });
    const actions = seen.data?.map((e) => e.action) ?? [];
    expect(actions).toContain("auth.sign_in");
    expect(actions).toContain("auth.sign_in_failed");
  });
});
