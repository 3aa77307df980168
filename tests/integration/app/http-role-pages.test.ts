import { beforeAll, describe, expect, it } from "vitest";
import { get, sessionCookie, signedIn } from "./helpers";

/**
 * A page a role may not open answers a real 404 (not a 200 carrying a not-found page), the same as
 * a workspace that is not yours; the roles allowed still get the page.
 */

let owner: Awaited<ReturnType<typeof signedIn>>;
let viewer: Awaited<ReturnType<typeof signedIn>>;
let slug: string;

const cookieFor = (u: typeof owner) =>
  sessionCookie({
    accessToken: u.accessToken,
    refreshToken: u.refreshToken,
    expiresAt: u.expiresAt,
    userId: u.id,
  });

beforeAll(async () => {
  owner = await signedIn("roles-owner");
  viewer = await signedIn("roles-viewer");
  slug = `roles-${owner.id.slice(0, 8)}`;
  const created = await owner.client.rpc("create_organization", {
    p_name: "Role Pages",
    p_slug: slug,
  });
  if (created.error) throw new Error(`create_organization: ${created.error.message}`);
  const orgId = (created.data as { id: string }).id;
  const inv = await owner.client.rpc("create_invitation", {
    p_organization_id: orgId,
    p_email: viewer.email,
    p_role: "viewer",
  });
  if (inv.error) throw new Error(`create_invitation: ${inv.error.message}`);
  const token = (inv.data as Array<{ token: string }>)[0]?.token ?? "";
  const acc = await viewer.client.rpc("accept_invitation", { p_token: token });
  if (acc.error) throw new Error(`accept_invitation: ${acc.error.message}`);
});

describe("role-restricted pages", () => {
  it("the owner opens the audit log", async () => {
    const res = await get(`/${slug}/audit`, { cookie: cookieFor(owner) });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Audit log");
  });

  it("a viewer gets a real 404 for the audit log but can open the workspace", async () => {
    const audit = await get(`/${slug}/audit`, { cookie: cookieFor(viewer) });
    expect(audit.status).toBe(404);
    expect((await get(`/${slug}`, { cookie: cookieFor(viewer) })).status).toBe(200);
  });
});
