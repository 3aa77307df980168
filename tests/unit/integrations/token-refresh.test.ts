import { generateKeyPairSync, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mintInstallationToken } from "@/lib/integrations/github/app";
import {
  createTokenService,
  type IntegrationCredentials,
  type RefreshedTokens,
  type TokenStore,
} from "@/lib/integrations/token-refresh";
import { refreshZendeskToken } from "@/lib/integrations/zendesk/oauth";

/**
 * Token refresh against a local HTTP token endpoint shaped like Zendesk's `POST /oauth/tokens`
 * (and GitHub's installation tokens): single flight within a process and across "processes"
 * (separate services sharing one lease store), refusals mark the integration `error`.
 */

let server: http.Server;
let base: string;
let refreshCalls = 0;
let mode: "ok" | "invalid_grant" | "down" = "ok";
let issued = 0;
const latencyMs = 80;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => {
      raw += c;
    });
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      if (req.method === "POST" && req.url === "/zendesk/acme/oauth/tokens") {
        refreshCalls += 1;
        const body = JSON.parse(raw) as Record<string, string>;
        setTimeout(() => {
          if (mode === "down") return void res.writeHead(503).end("{}");
          if (mode === "invalid_grant" || body.refresh_token !== `sbx_zd_rt_${issued}`) {
            res
              .writeHead(400)
              .end(JSON.stringify({ error: "invalid_grant", error_description: "revoked" }));
            return;
          }
          issued += 1;
          res.end(
            JSON.stringify({
              access_token: `sbx_zd_at_${issued}`,
              refresh_token: `sbx_zd_rt_${issued}`,
              token_type: "bearer",
              expires_in: 7200,
            }),
          );
        }, latencyMs);
        return;
      }
      const m = /^\/github\/api\/app\/installations\/(\d+)\/access_tokens$/.exec(req.url ?? "");
      if (req.method === "POST" && m) {
        refreshCalls += 1;
        const ok = m[1] === "42" && /^bearer eyJ/i.test(req.headers.authorization ?? "");
        if (!ok) return void res.writeHead(404).end(JSON.stringify({ message: "Not Found" }));
        res.writeHead(201).end(
          JSON.stringify({
            token: "ghs_sbx_installation",
            expires_at: new Date(Date.now() + 3600_000).toISOString(),
          }),
        );
        return;
      }
      res.writeHead(404).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** One integrations row and one lease table, shared by every "process" of a test. */
function sharedStore(initial: Partial<IntegrationCredentials>) {
  const row: IntegrationCredentials = {
    id: randomUUID(),
    organizationId: randomUUID(),
    provider: "zendesk",
    status: "connected",
    externalAccountId: "acme",
    accessToken: "sbx_zd_at_0",
    refreshToken: "sbx_zd_rt_0",
    expiresAt: new Date(Date.now() - 1000),
    lastError: null,
    ...initial,
  };
  let lease: { holder: string; until: number } | undefined;
  const store: TokenStore & { row: IntegrationCredentials; errors: string[] } = {
    row,
    errors: [],
    async read() {
      return { ...row };
    },
    async claim(_ref, holder, ttlMs) {
      if (lease && lease.until > Date.now() && lease.holder !== holder) return false;
      lease = { holder, until: Date.now() + ttlMs };
      return true;
    },
    async release(_ref, holder) {
      if (lease?.holder === holder) lease = undefined;
    },
    async save(_ref, tokens: RefreshedTokens) {
      row.accessToken = tokens.accessToken;
      if (tokens.refreshToken !== undefined) row.refreshToken = tokens.refreshToken;
      row.expiresAt = tokens.expiresAt;
    },
    async markError(_ref, reason) {
      row.status = "error";
      row.lastError = reason;
      store.errors.push(reason);
    },
  };
  return store;
}

const zendesk = () => ({
  baseUrlTemplate: `${base}/zendesk/{subdomain}`,
  clientId: "c",
  clientSecret: "s",
});
const service = (store: TokenStore) =>
  createTokenService({
    store,
    refreshers: { zendesk: (c) => refreshZendeskToken(zendesk(), c) },
    pollMs: 10,
  });

beforeEach(() => {
  refreshCalls = 0;
  issued = 0;
  mode = "ok";
});

describe("token refresh", () => {
  it("uses a token that is still valid beyond the margin without calling the provider", async () => {
    const store = sharedStore({ expiresAt: new Date(Date.now() + 60 * 60_000) });
    expect(await service(store).getAccessToken(store.row)).toBe("sbx_zd_at_0");
    expect(refreshCalls).toBe(0);
  });

  it("refreshes a token that expires within the margin, storing the rotated refresh token", async () => {
    const store = sharedStore({ expiresAt: new Date(Date.now() + 60_000) });
    expect(await service(store).getAccessToken(store.row)).toBe("sbx_zd_at_1");
    expect(refreshCalls).toBe(1);
    expect(store.row.refreshToken).toBe("sbx_zd_rt_1");
    expect(store.row.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 7000_000);
  });

  it("two concurrent callers in one process refresh once", async () => {
    const store = sharedStore({});
    const s = service(store);
    const tokens = await Promise.all([s.getAccessToken(store.row), s.getAccessToken(store.row)]);
    expect(tokens).toEqual(["sbx_zd_at_1", "sbx_zd_at_1"]);
    expect(refreshCalls).toBe(1);
  });

  it("two processes at once refresh once (the lease holder refreshes, the other re-reads)", async () => {
    const store = sharedStore({});
    const [a, b, c] = [service(store), service(store), service(store)];
    const tokens = await Promise.all([
      a.getAccessToken(store.row),
      b.getAccessToken(store.row),
      c.getAccessToken(store.row),
    ]);
    expect(tokens).toEqual(["sbx_zd_at_1", "sbx_zd_at_1", "sbx_zd_at_1"]);
    expect(refreshCalls).toBe(1);
    expect(store.errors).toEqual([]);
  });

  it("without the lease, two processes would refresh twice and the second would be refused", async () => {
    // the failure the lease prevents: Zendesk rotates the refresh token on use
    const store = sharedStore({});
    store.claim = async () => true;
    const results = await Promise.allSettled([
      service(store).getAccessToken(store.row),
      service(store).getAccessToken(store.row),
    ]);
    expect(refreshCalls).toBe(2);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
  });

  it("a refusal (invalid_grant) marks the integration error with a readable reason", async () => {
    mode = "invalid_grant";
    const store = sharedStore({});
    const s = service(store);
    const results = await Promise.allSettled([
      s.getAccessToken(store.row),
      s.getAccessToken(store.row),
    ]);
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    expect(refreshCalls).toBe(1);
    expect(store.row.status).toBe("error");
    expect(store.row.lastError).toBe(
      "Zendesk refused to renew access (invalid_grant). Reconnect Zendesk.",
    );
    expect(store.row.lastError).not.toMatch(/sbx_/);
    // an integration in error is not retried against the provider
    await expect(s.getAccessToken(store.row)).rejects.toThrow(/integration error/);
    expect(refreshCalls).toBe(1);
  });

  it("a transient failure is thrown for a retry and leaves the integration connected", async () => {
    mode = "down";
    const store = sharedStore({});
    await expect(service(store).getAccessToken(store.row)).rejects.toThrow(/HTTP 503/);
    expect(store.row.status).toBe("connected");
    mode = "ok";
    expect(await service(store).getAccessToken(store.row)).toBe("sbx_zd_at_1");
  });

  it("refuses a subdomain that would point the request at another host", async () => {
    await expect(
      refreshZendeskToken(zendesk(), { externalAccountId: "evil.com/x", refreshToken: "r" }),
    ).rejects.toThrow();
    expect(refreshCalls).toBe(0);
  });
});

describe("GitHub installation tokens (octokit)", () => {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const config = () => ({ appId: "1", privateKey, apiBaseUrl: `${base}/github/api` });

  it("mints an installation token with an app JWT", async () => {
    const tokens = await mintInstallationToken(config(), { externalAccountId: "42" });
    expect(tokens.accessToken).toBe("ghs_sbx_installation");
    expect(tokens.expiresAt?.getTime()).toBeGreaterThan(Date.now());
  });

  it("an uninstalled app is a refusal (marks error), not a retry", async () => {
    await expect(mintInstallationToken(config(), { externalAccountId: "7" })).rejects.toMatchObject(
      {
        name: "ProviderRefusedError",
      },
    );
  });
});
