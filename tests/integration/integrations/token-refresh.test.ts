import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { asSuperuser, closeDb, db } from "@/supabase/tests/helpers/db";
import { useIntegrationsEnv, workspace } from "./fixtures";

vi.mock("server-only", () => ({}));

/**
 * Token refresh on the real integrations table: the database lease makes two "processes" (two
 * token services with their own in-process maps) refresh once; the refreshed tokens are stored
 * sealed; a refusal marks the integration error and writes an audit entry.
 */

let refresh: typeof import("@/lib/integrations/token-refresh");
let tokenStore: typeof import("@/lib/integrations/token-store");
let secrets: typeof import("@/lib/integrations/secrets");
let zendesk: typeof import("@/lib/integrations/zendesk/oauth");
let server: http.Server;
let base = "";
let calls = 0;
let refuse = false;
let org: { id: string };

beforeAll(async () => {
  useIntegrationsEnv();
  (await import("@/lib/env")).resetEnvCacheForTests();
  refresh = await import("@/lib/integrations/token-refresh");
  tokenStore = await import("@/lib/integrations/token-store");
  secrets = await import("@/lib/integrations/secrets");
  zendesk = await import("@/lib/integrations/zendesk/oauth");
  org = await workspace("tokref");
  server = http.createServer((req, res) => {
    calls += 1;
    req.resume();
    setTimeout(() => {
      res.setHeader("content-type", "application/json");
      if (refuse) return void res.writeHead(400).end(JSON.stringify({ error: "invalid_grant" }));
      res.end(
        JSON.stringify({
          access_token: `sbx_zd_at_new_${calls}`,
          refresh_token: `sbx_zd_rt_new_${calls}`,
          expires_in: 7200,
        }),
      );
    }, 150);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await closeDb();
});
beforeEach(() => {
  calls = 0;
  refuse = false;
});

/** A Zendesk integration whose access token expired a minute ago. */
async function expiredIntegration(): Promise<{ id: string; organizationId: string }> {
  const id = randomUUID();
  const row = { id, organization_id: org.id };
  await asSuperuser("delete from public.integrations where organization_id = $1", [org.id]);
  await asSuperuser(
    `insert into public.integrations (id, organization_id, provider, external_account_id,
       access_token_enc, refresh_token_enc, token_expires_at)
     values ($1, $2, 'zendesk', $3, $4, $5, now() - interval '1 minute')`,
    [
      id,
      org.id,
      `acme${id.slice(0, 6)}`,
      secrets.sealIntegrationSecret(row, "access_token_enc", "sbx_zd_at_old"),
      secrets.sealIntegrationSecret(row, "refresh_token_enc", "sbx_zd_rt_old"),
    ],
  );
  return { id, organizationId: org.id };
}

const process_ = () =>
  refresh.createTokenService({
    store: tokenStore.databaseTokenStore(org.id, "test token refresh"),
    refreshers: {
      zendesk: (c) =>
        zendesk.refreshZendeskToken(
          { baseUrlTemplate: `${base}/zendesk/{subdomain}`, clientId: "c", clientSecret: "s" },
          c,
        ),
    },
    pollMs: 50,
  });

describe("token refresh on the database", () => {
  it("two processes needing a token at once refresh it once, and both get the new token", async () => {
    const ref = await expiredIntegration();
    const tokens = await Promise.all([
      process_().getAccessToken(ref),
      process_().getAccessToken(ref),
      process_().getAccessToken(ref),
    ]);
    expect(calls).toBe(1);
    expect(new Set(tokens)).toEqual(new Set(["sbx_zd_at_new_1"]));

    const [row] = await asSuperuser<Record<string, unknown>>(
      "select * from public.integrations where id = $1",
      [ref.id],
    );
    // stored sealed, bound to its place, never in clear
    expect(JSON.stringify(row)).not.toMatch(/sbx_zd_/);
    const sealed = row as { id: string; organization_id: string; refresh_token_enc: string };
    expect(secrets.openIntegrationSecret(sealed, "refresh_token_enc")).toBe("sbx_zd_rt_new_1");
    expect(new Date(row?.token_expires_at as string).getTime()).toBeGreaterThan(
      Date.now() + 3600_000,
    );
    // the lease was released
    const leases = await asSuperuser(
      "select 1 from private.integration_refresh_leases where integration_id = $1",
      [ref.id],
    );
    expect(leases).toEqual([]);
  });

  it("a refused refresh marks the integration error with a reason, audited, and stops calling", async () => {
    refuse = true;
    const ref = await expiredIntegration();
    await expect(process_().getAccessToken(ref)).rejects.toThrow(/Reconnect Zendesk/);
    const [row] = await asSuperuser<{ status: string; last_error: string; last_error_at: Date }>(
      "select status, last_error, last_error_at from public.integrations where id = $1",
      [ref.id],
    );
    expect(row).toMatchObject({
      status: "error",
      last_error: "Zendesk refused to renew access (invalid_grant). Reconnect Zendesk.",
    });
    const audit = await asSuperuser<{ metadata: { reason: string } }>(
      "select metadata from public.audit_log where action = 'integration.refresh_refused' and target_id = $1",
      [ref.id],
    );
    expect(audit).toHaveLength(1);
    await expect(process_().getAccessToken(ref)).rejects.toThrow(/integration error/);
    expect(calls).toBe(1);
  });

  it("the lease RPCs are the service role's only", async () => {
    const ref = await expiredIntegration();
    const outcome = async (role: string) => {
      const client = await db().connect();
      try {
        await client.query("begin");
        await client.query(`set local role ${role}`);
        const { rows } = await client.query(
          "select public.claim_integration_refresh($1, $2, 'holder', 30) as claimed",
          [ref.id, ref.organizationId],
        );
        return `ok:${rows[0]?.claimed}`;
      } catch (error) {
        return `error:${(error as { code?: string }).code}`;
      } finally {
        await client.query("rollback");
        client.release();
      }
    };
    expect(await outcome("anon")).toBe("error:42501");
    expect(await outcome("authenticated")).toBe("error:42501");
    expect(await outcome("service_role")).toBe("ok:true");
  });
});
