import { createHmac } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { type ApiUser, anonClient, clientWithToken, signedInUser } from "./helpers/api";

/**
 * Tenant isolation through the real HTTP path: supabase-js → gateway (/auth/v1, /rest/v1) →
 * Postgres with RLS. Two workspaces, two owners; each sees only their own.
 */

let alice: ApiUser;
let bob: ApiUser;
let orgA: { id: string; slug: string };
let orgB: { id: string; slug: string };

beforeAll(async () => {
  alice = await signedInUser("alice");
  bob = await signedInUser("bob");
  const a = await alice.client.rpc("create_organization", {
    p_name: "Alice Co",
    p_slug: `alice-${alice.id.slice(0, 8)}`,
  });
  const b = await bob.client.rpc("create_organization", {
    p_name: "Bob Co",
    p_slug: `bob-${bob.id.slice(0, 8)}`,
  });
  if (a.error || b.error || !a.data || !b.data) throw new Error("workspaces not created");
  orgA = a.data;
  orgB = b.data;
});

function forge(payload: Record<string, unknown>, secret: string): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const head = `${enc({ alg: "HS256", typ: "JWT" })}.${enc(payload)}`;
  return `${head}.${createHmac("sha256", secret).update(head).digest("base64url")}`;
}

describe("tenancy through the REST gateway", () => {
  it("each owner lists only their own workspace", async () => {
    const a = await alice.client.from("organizations").select("id, slug");
    const b = await bob.client.from("organizations").select("id, slug");
    expect(a.data).toEqual([{ id: orgA.id, slug: orgA.slug }]);
    expect(b.data).toEqual([{ id: orgB.id, slug: orgB.slug }]);
  });

  it("another tenant's rows are simply not there", async () => {
    const byId = await bob.client.from("organizations").select("id").eq("id", orgA.id);
    expect(byId.error).toBeNull();
    expect(byId.data).toEqual([]);
    const members = await bob.client
      .from("memberships")
      .select("user_id")
      .eq("organization_id", orgA.id);
    expect(members.data).toEqual([]);
    const audit = await bob.client.from("audit_log").select("id").eq("organization_id", orgA.id);
    expect(audit.data).toEqual([]);
    const renamed = await bob.client
      .from("organizations")
      .update({ name: "Pwned" })
      .eq("id", orgA.id)
      .select("id");
    expect(renamed.data).toEqual([]);
    const still = await alice.client
      .from("organizations")
      .select("name")
      .eq("id", orgA.id)
      .single();
    expect(still.data?.name).toBe("Alice Co");
  });

  it("another tenant's RPCs answer 404 Not Found", async () => {
    const out = await bob.client.rpc("get_organization_members", { p_organization_id: orgA.id });
    expect(out.error?.code).toBe("PT404");
    expect(out.status).toBe(404);
    const invite = await bob.client.rpc("create_invitation", {
      p_organization_id: orgA.id,
      p_email: "mallory@api.test",
      p_role: "admin",
    });
    expect(invite.status).toBe(404);
  });

  it("direct writes to memberships are refused for everyone", async () => {
    const out = await bob.client
      .from("memberships")
      .insert({ organization_id: orgA.id, user_id: bob.id, role: "owner" });
    expect(out.error?.code).toBe("42501");
    expect(out.status).toBe(403);
  });

  it("the anon key reads nothing", async () => {
    const out = await anonClient().from("organizations").select("id");
    expect(out.error?.code).toBe("42501");
    expect(out.status).toBe(401);
    const rpc = await anonClient().rpc("create_organization", { p_name: "x", p_slug: "anon-x" });
    expect(rpc.error).not.toBeNull();
  });

  it("a forged or tampered token gets no data", async () => {
    const claims = {
      sub: alice.id,
      role: "authenticated",
      aud: "authenticated",
      exp: Math.floor(Date.now() / 1000) + 3600,
    };
    const forged = await clientWithToken(forge(claims, "not-the-real-secret-not-the-real-secret"))
      .from("organizations")
      .select("id");
    expect(forged.status).toBe(401);
    expect(forged.data).toBeNull();

    const [h, p, s] = alice.accessToken.split(".");
    const payload = JSON.parse(Buffer.from(p ?? "", "base64url").toString());
    const swapped = Buffer.from(JSON.stringify({ ...payload, sub: bob.id })).toString("base64url");
    const tampered = await clientWithToken(`${h}.${swapped}.${s}`)
      .from("organizations")
      .select("id");
    expect(tampered.status).toBe(401);
    expect(tampered.data).toBeNull();
  });
});
