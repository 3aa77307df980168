import { createHmac } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { get, sessionCookie, signedIn } from "./helpers";

/**
 * A session cookie is only as good as the auth server says: a valid one reaches the workspace, a
 * tampered, forged or expired one reaches nothing, and another tenant's gets 404.
 */

let owner: Awaited<ReturnType<typeof signedIn>>;
let outsider: Awaited<ReturnType<typeof signedIn>>;
let slug: string;
let name: string;

beforeAll(async () => {
  owner = await signedIn("http-owner");
  outsider = await signedIn("http-outsider");
  slug = `http-${owner.id.slice(0, 8)}`;
  name = `Http Workspace ${owner.id.slice(0, 6)}`;
  const { error } = await owner.client.rpc("create_organization", { p_name: name, p_slug: slug });
  if (error) throw new Error(`create_organization: ${error.message}`);
});

function cookieFor(
  user: typeof owner,
  overrides: Partial<{ accessToken: string; refreshToken: string; expiresAt: number }> = {},
) {
  return sessionCookie({
    accessToken: overrides.accessToken ?? user.accessToken,
    refreshToken: overrides.refreshToken ?? user.refreshToken,
    expiresAt: overrides.expiresAt ?? user.expiresAt,
    userId: user.id,
  });
}

function forgeJwt(payload: Record<string, unknown>, secret: string): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const head = `${enc({ alg: "HS256", typ: "JWT" })}.${enc(payload)}`;
  return `${head}.${createHmac("sha256", secret).update(head).digest("base64url")}`;
}

async function expectNoData(res: Response) {
  expect([303, 307, 308, 404]).toContain(res.status);
  if (res.status !== 404) expect(res.headers.get("location") ?? "").toMatch(/\/sign-in/);
  expect(await res.text()).not.toContain(name);
}

describe("session cookies", () => {
  it("a valid session cookie reaches the workspace", async () => {
    const res = await get(`/${slug}`, { cookie: cookieFor(owner) });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(name);
  });

  it("a tampered access token gets no data", async () => {
    const [h, p] = owner.accessToken.split(".");
    const payload = JSON.parse(Buffer.from(p ?? "", "base64url").toString());
    const changed = Buffer.from(JSON.stringify({ ...payload, exp: payload.exp + 86400 })).toString(
      "base64url",
    );
    const tampered = `${h}.${changed}.${owner.accessToken.split(".")[2]}`;
    await expectNoData(
      await get(`/${slug}`, {
        cookie: cookieFor(owner, { accessToken: tampered, refreshToken: "x" }),
      }),
    );
  });

  it("a token forged with another key gets no data", async () => {
    const forged = forgeJwt(
      {
        sub: owner.id,
        role: "authenticated",
        aud: "authenticated",
        aal: "aal1",
        exp: Math.floor(Date.now() / 1000) + 3600,
      },
      "attacker-secret-attacker-secret-attacker",
    );
    await expectNoData(
      await get(`/${slug}`, {
        cookie: cookieFor(owner, { accessToken: forged, refreshToken: "nope" }),
      }),
    );
  });

  it("an expired session with a made-up refresh token gets no data", async () => {
    const expired = forgeJwt(
      { sub: owner.id, role: "authenticated", exp: Math.floor(Date.now() / 1000) - 60 },
      "attacker-secret-attacker-secret-attacker",
    );
    await expectNoData(
      await get(`/${slug}`, {
        cookie: cookieFor(owner, {
          accessToken: expired,
          refreshToken: "made-up-refresh-token",
          expiresAt: Math.floor(Date.now() / 1000) - 60,
        }),
      }),
    );
  });

  it("garbage in the cookie gets no data", async () => {
    const host = sessionCookie({
      accessToken: "a",
      refreshToken: "b",
      expiresAt: 0,
      userId: "c",
    }).split("=")[0];
    await expectNoData(await get(`/${slug}`, { cookie: `${host}=base64-!!!not-json` }));
  });

  it("another tenant's valid session gets 404 for this workspace", async () => {
    const res = await get(`/${slug}`, { cookie: cookieFor(outsider) });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain(name);
  });
});
