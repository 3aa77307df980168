import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createKeyring } from "@/lib/crypto/keyring";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";
import { KEY_NEW, KEY_OLD, useIntegrationsEnv, workspace } from "./fixtures";

vi.mock("server-only", () => ({}));

/**
 * Runs the integrations flows (OAuth state, token refresh and its refusal, key rotation) with the
 * real logger writing to a captured destination, then fails if a token, a refresh token, a
 * ciphertext or a state reached a log line.
 */
const captured = vi.hoisted(() => ({ lines: [] as string[] }));

vi.mock("@/lib/log", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/log")>();
  const destination = {
    write(line: string) {
      captured.lines.push(line);
      return true;
    },
  };
  // biome-ignore lint/suspicious/noExplicitAny: pino accepts any object with write()
  return { ...real, log: real.createLogger({ level: "trace", destination: destination as any }) };
});

let server: http.Server;
let base = "";
let refuse = false;

beforeAll(async () => {
  useIntegrationsEnv();
  (await import("@/lib/env")).resetEnvCacheForTests();
  server = http.createServer((req, res) => {
    req.resume();
    res.setHeader("content-type", "application/json");
    if (refuse) return void res.writeHead(400).end(JSON.stringify({ error: "invalid_grant" }));
    res.end(
      JSON.stringify({
        access_token: "sbx_zd_at_logged",
        refresh_token: "sbx_zd_rt_logged",
        expires_in: 60,
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await closeDb();
});

describe("integrations logs", () => {
  it("hold events but no token, refresh token, ciphertext or OAuth state", async () => {
    const oauth = await import("@/lib/integrations/oauth-state");
    const { databaseOAuthStateStore } = await import("@/lib/integrations/oauth-state-store");
    const { oauthStateKeys } = await import("@/lib/integrations/oauth-state-keys");
    const { createTokenService } = await import("@/lib/integrations/token-refresh");
    const { databaseTokenStore } = await import("@/lib/integrations/token-store");
    const { sealIntegrationSecret } = await import("@/lib/integrations/secrets");
    const { refreshZendeskToken } = await import("@/lib/integrations/zendesk/oauth");
    const { rotateAll, rotateBatch } = await import("@/lib/integrations/key-rotation");
    const { databaseRotationStore } = await import("@/lib/integrations/rotation-store");

    const org = await workspace("logs");
    const sessionId = randomUUID();
    const deps = { keys: oauthStateKeys(), store: databaseOAuthStateStore() };
    const binding = {
      organizationId: org.id,
      userId: org.owner.id,
      sessionId,
      provider: "zendesk" as const,
    };
    const { state } = await oauth.createOAuthState(binding, deps);
    await oauth.consumeOAuthState(state, { ...binding }, deps);
    await oauth.consumeOAuthState(state, { ...binding }, deps).catch(() => {});

    const id = randomUUID();
    const row = { id, organization_id: org.id };
    const sealedAt = sealIntegrationSecret(row, "access_token_enc", "sbx_zd_at_stale") as string;
    const sealedRt = sealIntegrationSecret(row, "refresh_token_enc", "sbx_zd_rt_stale") as string;
    await asSuperuser(
      `insert into public.integrations (id, organization_id, provider, external_account_id,
         access_token_enc, refresh_token_enc, token_expires_at)
       values ($1, $2, 'zendesk', $3, $4, $5, now() - interval '1 minute')`,
      [id, org.id, `logs${id.slice(0, 8)}`, sealedAt, sealedRt],
    );
    const service = () =>
      createTokenService({
        store: databaseTokenStore(org.id, "test logs"),
        refreshers: {
          zendesk: (c) =>
            refreshZendeskToken(
              { baseUrlTemplate: `${base}/zendesk/{subdomain}`, clientId: "c", clientSecret: "s" },
              c,
            ),
        },
      });
    await service().getAccessToken({ id, organizationId: org.id });
    const keyring = createKeyring(
      new Map([
        ["new", Buffer.from(KEY_NEW, "base64")],
        ["old", Buffer.from(KEY_OLD, "base64")],
      ]),
    );
    await rotateAll(
      (_id, fn) => fn(),
      (input) =>
        rotateBatch(input, { keyring, store: databaseRotationStore({ organizationId: org.id }) }),
      { limit: 10 },
    );
    refuse = true;
    await asSuperuser("update public.integrations set token_expires_at = now() where id = $1", [
      id,
    ]);
    await service()
      .getAccessToken({ id, organizationId: org.id })
      .catch(() => {});

    const text = captured.lines.join("\n");
    expect(text).toContain("admin client used");
    for (const secret of [
      "sbx_zd_at_",
      "sbx_zd_rt_",
      sealedAt,
      sealedRt,
      state,
      state.split(".")[1] ?? state,
      sessionId,
    ]) {
      expect(text.includes(secret), `log holds ${secret.slice(0, 12)}…`).toBe(false);
    }
    expect(text).not.toMatch(/v1\.(old|new)\./);
  });
});
