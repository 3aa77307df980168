import { beforeAll, describe, expect, it } from "vitest";
import { type ApiUser, anonClient, type Client, signedInUser } from "./helpers/api";

/**
 * The per-role read matrix again, this time through the HTTP gateway with supabase-js (JWT from a
 * real sign-in → `set local role` → RLS), for every exposed table.
 */

type Persona = "owner" | "admin" | "member" | "viewer" | "outsider" | "anonymous";
const PERSONAS: Persona[] = ["owner", "admin", "member", "viewer", "outsider", "anonymous"];
let people: Record<Exclude<Persona, "anonymous">, ApiUser>;
let orgId: string;

beforeAll(async () => {
  people = {
    owner: await signedInUser("rest-owner"),
    admin: await signedInUser("rest-admin"),
    member: await signedInUser("rest-member"),
    viewer: await signedInUser("rest-viewer"),
    outsider: await signedInUser("rest-outsider"),
  };
  const org = await people.owner.client.rpc("create_organization", {
    p_name: "Rest Roles",
    p_slug: `rest-${people.owner.id.slice(0, 8)}`,
  });
  if (org.error || !org.data) throw new Error(`create_organization: ${org.error?.message}`);
  orgId = org.data.id;
  for (const role of ["admin", "member", "viewer"] as const) {
    const inv = await people.owner.client
      .rpc("create_invitation", {
        p_organization_id: orgId,
        p_email: people[role].email,
        p_role: role,
      })
      .single();
    if (inv.error || !inv.data) throw new Error(`invite: ${inv.error?.message}`);
    const acc = await people[role].client.rpc("accept_invitation", { p_token: inv.data.token });
    if (acc.error) throw new Error(`accept: ${acc.error.message}`);
  }
});

function client(persona: Persona): Client {
  return persona === "anonymous" ? anonClient() : people[persona].client;
}

type Expect = number | ">0" | "denied";

const MATRIX: Record<
  "organizations" | "memberships" | "invitations" | "audit_log",
  Record<Persona, Expect>
> = {
  organizations: { owner: 1, admin: 1, member: 1, viewer: 1, outsider: 0, anonymous: "denied" },
  memberships: { owner: 4, admin: 4, member: 4, viewer: 4, outsider: 0, anonymous: "denied" },
  invitations: { owner: 3, admin: 3, member: 0, viewer: 0, outsider: 0, anonymous: "denied" },
  audit_log: { owner: ">0", admin: ">0", member: 0, viewer: 0, outsider: 0, anonymous: "denied" },
};

describe("per-role reads through the REST gateway", () => {
  for (const [table, row] of Object.entries(MATRIX) as Array<
    [keyof typeof MATRIX, Record<Persona, Expect>]
  >) {
    for (const persona of PERSONAS) {
      it(`${table} as ${persona} → ${row[persona]}`, async () => {
        // organizations is the tenant itself; every other table carries organization_id
        const column = (table === "organizations" ? "id" : "organization_id") as "id";
        const out = await client(persona).from(table).select("id").eq(column, orgId);
        const want = row[persona];
        if (want === "denied") {
          expect(out.error?.code).toBe("42501");
          expect(out.status).toBe(401);
        } else if (want === ">0") {
          expect(out.error).toBeNull();
          expect(out.data?.length ?? 0).toBeGreaterThan(0);
        } else {
          expect(out.error).toBeNull();
          expect(out.data?.length).toBe(want);
        }
      });
    }
  }

  it("a viewer's rename reaches no row; an admin's does", async () => {
    const viewer = await people.viewer.client
      .from("organizations")
      .update({ name: "Viewer was here" })
      .eq("id", orgId)
      .select("id");
    expect(viewer.data).toEqual([]);
    const admin = await people.admin.client
      .from("organizations")
      .update({ name: "Renamed by admin" })
      .eq("id", orgId)
      .select("name");
    expect(admin.data).toEqual([{ name: "Renamed by admin" }]);
  });
});
