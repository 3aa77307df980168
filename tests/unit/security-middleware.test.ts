import { NextRequest, NextResponse } from "next/server";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

/**
 * middleware.ts decisions with the session lookup stubbed (the HTTP tests in
 * tests/integration/app/ cover the same paths against `next start` and the real auth server).
 */
const session = vi.hoisted(() => ({
  user: null as null | { id: string },
  aal: { current: null as string | null, next: null as string | null },
  requestHeaders: {} as Record<string, string>,
}));

vi.mock("@/lib/supabase/middleware", () => ({
  updateSession: async (
    _req: NextRequest,
    options: { requestHeaders?: Record<string, string> },
  ) => {
    session.requestHeaders = options.requestHeaders ?? {};
    const response = NextResponse.next();
    response.cookies.set("sb-127-auth-token", "refreshed", { httpOnly: true });
    // updateSession hands back the verified user and claims; middleware derives the assurance
    // from them (lib/auth/assurance), so express the wanted levels in those terms.
    const user = session.user && {
      ...session.user,
      factors: session.aal.next === "aal2" ? [{ status: "verified" }] : [],
    };
    return { response, user, claims: user ? { aal: session.aal.current } : null };
  },
}));

let middleware: typeof import("@/middleware").middleware;
beforeAll(async () => {
  Object.assign(process.env, {
    NEXT_PUBLIC_SUPABASE_URL: "http://127.0.0.1:54321",
    NEXT_PUBLIC_SUPABASE_ANON_KEY: "anon",
    NEXT_PUBLIC_SITE_URL: "http://localhost:3000",
  });
  ({ middleware } = await import("@/middleware"));
});
beforeEach(() => {
  session.user = null;
  session.aal = { current: null, next: null };
});

const run = (path: string) => middleware(new NextRequest(`http://localhost:3000${path}`));

describe("middleware", () => {
  it("lets anyone open public pages, with a CSP whose nonce reaches the app", async () => {
    const res = await run("/sign-in");
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(session.requestHeaders["x-nonce"]).toBe(nonce);
    expect(session.requestHeaders["content-security-policy"]).toBe(csp);
    const again = await run("/sign-in");
    expect(again.headers.get("content-security-policy")).not.toBe(csp);
  });

  it("sends signed-out visitors to sign-in, keeping refreshed cookies and where they were going", async () => {
    const res = await run("/acme/members?tab=invites");
    expect(res.status).toBe(307);
    const location = new URL(res.headers.get("location") ?? "");
    expect(location.pathname).toBe("/sign-in");
    expect(location.searchParams.get("next")).toBe("/acme/members?tab=invites");
    expect(res.cookies.get("sb-127-auth-token")?.value).toBe("refreshed");
  });

  it("answers signed-out API calls with 401 JSON", async () => {
    const res = await run("/api/things");
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "unauthenticated" } });
  });

  it("lets signed-in users through", async () => {
    session.user = { id: "u1" };
    session.aal = { current: "aal1", next: "aal1" };
    expect((await run("/acme")).status).toBe(200);
  });

  it("sends an aal1 session with a verified factor to the MFA challenge, except the challenge itself", async () => {
    session.user = { id: "u1" };
    session.aal = { current: "aal1", next: "aal2" };
    const res = await run("/acme");
    expect(new URL(res.headers.get("location") ?? "").pathname).toBe("/mfa");
    expect((await run("/mfa")).status).toBe(200);
    expect((await run("/api/x")).status).toBe(401);
    session.aal = { current: "aal2", next: "aal2" };
    expect((await run("/acme")).status).toBe(200);
  });
});
