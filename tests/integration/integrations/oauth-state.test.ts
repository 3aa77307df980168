import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";
import { useIntegrationsEnv, workspace } from "./fixtures";

vi.mock("server-only", () => ({}));

/** OAuth state on the real oauth_states table, through the audited admin client. */

let oauth: typeof import("@/lib/integrations/oauth-state");
let store: typeof import("@/lib/integrations/oauth-state-store");
let keys: typeof import("@/lib/integrations/oauth-state-keys");
let org: { id: string; owner: { id: string } };
const sessionId = "11111111-2222-4333-8444-555555555555";

beforeAll(async () => {
  useIntegrationsEnv();
  (await import("@/lib/env")).resetEnvCacheForTests();
  oauth = await import("@/lib/integrations/oauth-state");
  store = await import("@/lib/integrations/oauth-state-store");
  keys = await import("@/lib/integrations/oauth-state-keys");
  org = await workspace("oauthst");
});
afterAll(closeDb);

const deps = () => ({ keys: keys.oauthStateKeys(), store: store.databaseOAuthStateStore() });
const context = () => ({ userId: org.owner.id, sessionId, provider: "zendesk" as const });

async function start() {
  return oauth.createOAuthState(
    { organizationId: org.id, userId: org.owner.id, sessionId, provider: "zendesk" },
    deps(),
  );
}

describe("OAuth state on oauth_states", () => {
  it("stores the nonce's hash only, bound to workspace, user and provider, expiring in 10 minutes", async () => {
    const { state, expiresAt } = await start();
    const rows = await asSuperuser<{ nonce_hash: string; provider: string; expires_at: Date }>(
      "select nonce_hash, provider, expires_at from public.oauth_states where organization_id = $1 and user_id = $2",
      [org.id, org.owner.id],
    );
    const row = rows.find((r) => r.expires_at.getTime() === expiresAt.getTime());
    expect(row?.provider).toBe("zendesk");
    expect(row?.nonce_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(state).not.toContain(row?.nonce_hash);
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(9 * 60_000);
  });

  it("is consumed once; the replay is refused", async () => {
    const { state } = await start();
    await expect(oauth.consumeOAuthState(state, context(), deps())).resolves.toMatchObject({
      organizationId: org.id,
    });
    await expect(oauth.consumeOAuthState(state, context(), deps())).rejects.toMatchObject({
      reason: "replayed",
    });
  });

  it("two callbacks racing with the same state: exactly one wins", async () => {
    const { state } = await start();
    const results = await Promise.allSettled([
      oauth.consumeOAuthState(state, context(), deps()),
      oauth.consumeOAuthState(state, context(), deps()),
      oauth.consumeOAuthState(state, context(), deps()),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("a state whose row expired is refused even inside the signature's lifetime", async () => {
    const { state, expiresAt } = await start();
    await asSuperuser(
      "update public.oauth_states set expires_at = now() - interval '1 second' where organization_id = $1 and expires_at = $2",
      [org.id, expiresAt],
    );
    await expect(oauth.consumeOAuthState(state, context(), deps())).rejects.toMatchObject({
      reason: "replayed",
    });
  });

  it("a refused state (another user) consumes nothing and the right user can still use it", async () => {
    const { state } = await start();
    await expect(
      oauth.consumeOAuthState(
        state,
        { ...context(), userId: "99999999-2222-4333-8444-555555555555" },
        deps(),
      ),
    ).rejects.toMatchObject({ reason: "wrong_user" });
    await expect(oauth.consumeOAuthState(state, context(), deps())).resolves.toBeTruthy();
  });

  it("records each admin-client use with its reason and workspace", async () => {
    const uses = await asSuperuser<{ reason: string }>(
      "select metadata->>'reason' as reason from public.audit_log where action = 'admin_client.used' and organization_id = $1",
      [org.id],
    );
    expect(uses.map((u) => u.reason)).toEqual(
      expect.arrayContaining(["store zendesk OAuth state", "consume OAuth state in callback"]),
    );
  });
});
