import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { createKeyring } from "@/lib/crypto/keyring";
import { parseServerEnv } from "@/lib/env";
import { openIntegrationSecret, sealIntegrationSecret } from "@/lib/integrations/secrets";
import { zendeskBaseUrl } from "@/lib/integrations/zendesk/client-config";

vi.mock("server-only", () => ({}));

/** Secrets are bound to their place; provider base URLs default to the real hosts and stay on them. */

const keyring = createKeyring(new Map([["k1", randomBytes(32)]]));
const row = { id: randomUUID(), organization_id: randomUUID() };

describe("integration secrets", () => {
  it("round-trip through the keyring, never holding the plaintext", () => {
    const sealed = sealIntegrationSecret(row, "access_token_enc", "sbx_zd_at_x", keyring);
    expect(sealed).toMatch(/^v1\.k1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain("sbx_zd_at_x");
    expect(
      openIntegrationSecret({ ...row, access_token_enc: sealed }, "access_token_enc", keyring),
    ).toBe("sbx_zd_at_x");
  });

  it("do not open in another column, row or workspace", () => {
    const sealed = sealIntegrationSecret(row, "access_token_enc", "sbx_zd_at_x", keyring) as string;
    expect(() =>
      openIntegrationSecret({ ...row, refresh_token_enc: sealed }, "refresh_token_enc", keyring),
    ).toThrow(/cannot decrypt/);
    expect(() =>
      openIntegrationSecret(
        { ...row, id: randomUUID(), access_token_enc: sealed },
        "access_token_enc",
        keyring,
      ),
    ).toThrow(/cannot decrypt/);
    expect(() =>
      openIntegrationSecret(
        { ...row, organization_id: randomUUID(), access_token_enc: sealed },
        "access_token_enc",
        keyring,
      ),
    ).toThrow(/cannot decrypt/);
  });

  it("store nothing for nothing, and refuse an empty secret", () => {
    expect(sealIntegrationSecret(row, "webhook_secret_enc", null, keyring)).toBeNull();
    expect(
      openIntegrationSecret({ ...row, webhook_secret_enc: null }, "webhook_secret_enc", keyring),
    ).toBeNull();
    expect(() => sealIntegrationSecret(row, "webhook_secret_enc", "", keyring)).toThrow();
  });
});

describe("provider configuration", () => {
  const base = { MAILBOX_URL: "http://127.0.0.1:1" };

  it("defaults every base URL to the real provider host", () => {
    const env = parseServerEnv(base);
    expect(env).toMatchObject({
      ZENDESK_BASE_URL: "https://{subdomain}.zendesk.com",
      INTERCOM_API_BASE: "https://api.intercom.io",
      INTERCOM_OAUTH_BASE: "https://app.intercom.com",
      GITHUB_API_BASE: "https://api.github.com",
      GITHUB_WEB_BASE: "https://github.com",
      RAZORPAY_API_BASE: "https://api.razorpay.com",
    });
  });

  it("takes the sandbox's URLs and refuses a Zendesk template without {subdomain}", () => {
    expect(
      parseServerEnv({ ...base, ZENDESK_BASE_URL: "http://127.0.0.1:54330/zendesk/{subdomain}" })
        .ZENDESK_BASE_URL,
    ).toBe("http://127.0.0.1:54330/zendesk/{subdomain}");
    expect(() => parseServerEnv({ ...base, ZENDESK_BASE_URL: "https://zendesk.com" })).toThrow(
      /ZENDESK_BASE_URL is invalid/,
    );
    expect(() => parseServerEnv({ ...base, OAUTH_STATE_SECRET: "short" })).toThrow(
      /OAUTH_STATE_SECRET/,
    );
  });

  it("builds a Zendesk host only from a plain subdomain", () => {
    expect(zendeskBaseUrl("https://{subdomain}.zendesk.com", "Acme")).toBe(
      "https://acme.zendesk.com",
    );
    expect(zendeskBaseUrl("http://127.0.0.1:1/zendesk/{subdomain}/", "acme-eu")).toBe(
      "http://127.0.0.1:1/zendesk/acme-eu",
    );
    for (const bad of [
      "evil.com/x",
      "a.b",
      "acme@evil",
      "-acme",
      "",
      "x".repeat(64),
      "acme/../x",
    ]) {
      expect(() => zendeskBaseUrl("https://{subdomain}.zendesk.com", bad), bad).toThrow();
    }
  });
});
