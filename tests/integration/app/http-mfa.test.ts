import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import { get, sessionCookie, signedIn } from "./helpers";

/**
 * A user with a verified TOTP factor whose session is still aal1 (password only) is sent to the
 * MFA challenge by middleware, and the workspace's data stays out of reach.
 */

const db = new pg.Pool({ connectionString: devstackEnv().DB_URL, max: 1 });
let user: Awaited<ReturnType<typeof signedIn>>;
let slug: string;
let name: string;

beforeAll(async () => {
  user = await signedIn("http-mfa");
  slug = `mfa-${user.id.slice(0, 8)}`;
  name = `Mfa Workspace ${user.id.slice(0, 6)}`;
  const { error } = await user.client.rpc("create_organization", { p_name: name, p_slug: slug });
  if (error) throw new Error(error.message);
  // enrol a verified factor after the aal1 sign-in, as if set up from another device
  await db.query(
    `insert into auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at, secret)
     values ($1, $2, 'phone', 'totp', 'verified', now(), now(), 'JBSWY3DPEHPK3PXP')`,
    [randomUUID(), user.id],
  );
});
afterAll(() => db.end());

describe("MFA challenge", () => {
  it("an aal1 session of a user with a verified factor is sent to /mfa, without the data", async () => {
    const cookie = sessionCookie({
      accessToken: user.accessToken,
      refreshToken: user.refreshToken,
      expiresAt: user.expiresAt,
      userId: user.id,
    });
    const res = await get(`/${slug}/members`, { cookie });
    expect([303, 307, 308]).toContain(res.status);
    const location = new URL(res.headers.get("location") ?? "", "http://x");
    expect(location.pathname).toBe("/mfa");
    expect(location.searchParams.get("next")).toBe(`/${slug}/members`);
    expect(await res.text()).not.toContain(name);
    const challenge = await get("/mfa", { cookie });
    expect(challenge.status).toBe(200);
  });
});
