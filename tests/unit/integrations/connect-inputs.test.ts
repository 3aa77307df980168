import { afterEach, describe, expect, it, vi } from "vitest";
import { resetEnvCacheForTests } from "@/lib/env";
import { githubInstallUrl } from "@/lib/integrations/github/connect";
import { redirectUri } from "@/lib/integrations/provider-config";
import { connectZendeskInput, repositorySelectionInput } from "@/lib/integrations/schemas";
import { zendeskAuthorizeUrl } from "@/lib/integrations/zendesk/connect";

vi.mock("server-only", () => ({}));

/** The connect flows' inputs and URLs: what a person may type, and where the browser is sent. */

describe("Zendesk subdomain input", () => {
  it.each([
    ["acme", "acme"],
    ["  Acme-Support ", "acme-support"],
    ["acme.zendesk.com", "acme"],
    ["https://acme.zendesk.com/agent", "acme"],
  ])("accepts %j as %j", (raw, subdomain) => {
    expect(connectZendeskInput.parse({ subdomain: raw })).toEqual({ subdomain });
  });

  it.each(["", "not a subdomain!", "evil.com/x", "a.b", "-acme", "acme-", "x".repeat(64)])(
    "refuses %j (it would otherwise reach a URL)",
    (raw) => {
      expect(connectZendeskInput.safeParse({ subdomain: raw }).success).toBe(false);
    },
  );
});

describe("repository selection input", () => {
  const id = "0b7a9b8e-7a53-4d55-9c2a-5b8c3c8a1f00";
  it("takes none, one or many ids and refuses anything else", () => {
    expect(repositorySelectionInput.parse({})).toEqual({ repository_ids: [] });
    expect(repositorySelectionInput.parse({ repository_ids: id })).toEqual({
      repository_ids: [id],
    });
    expect(
      repositorySelectionInput.parse({ repository_ids: [id, id] }).repository_ids,
    ).toHaveLength(2);
    expect(repositorySelectionInput.safeParse({ repository_ids: "1; drop" }).success).toBe(false);
  });
});

describe("authorize and install URLs", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    resetEnvCacheForTests();
  });

  it("redirect URIs come from NEXT_PUBLIC_SITE_URL, never from a request", () => {
    vi.stubEnv("NEXT_PUBLIC_SUPABASE_URL", "http://127.0.0.1:54321");
    vi.stubEnv("NEXT_PUBLIC_SUPABASE_ANON_KEY", "anon");
    vi.stubEnv("NEXT_PUBLIC_SITE_URL", "https://app.patchline.dev/");
    resetEnvCacheForTests();
    expect(redirectUri("zendesk")).toBe(
      "https://app.patchline.dev/api/integrations/zendesk/callback",
    );
    expect(redirectUri("intercom")).toBe(
      "https://app.patchline.dev/api/integrations/intercom/callback",
    );
    expect(redirectUri("github")).toBe("https://app.patchline.dev/api/integrations/github/setup");
  });

  it("Zendesk's authorize URL is on the account's host with our client, redirect and state", () => {
    const url = new URL(
      zendeskAuthorizeUrl(
        {
          baseUrlTemplate: "https://{subdomain}.zendesk.com",
          clientId: "patchline",
          clientSecret: "s",
        },
        "acme",
        {
          redirectUri: "https://app.patchline.dev/api/integrations/zendesk/callback",
          state: "st.ate",
        },
      ),
    );
    expect(url.origin).toBe("https://acme.zendesk.com");
    expect(url.pathname).toBe("/oauth/authorizations/new");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: "code",
      client_id: "patchline",
      redirect_uri: "https://app.patchline.dev/api/integrations/zendesk/callback",
      scope: "read write",
      state: "st.ate",
    });
  });

  it("GitHub's install URL names the App and carries the state", () => {
    const url = new URL(githubInstallUrl("https://github.com", "patchline", "st.ate"));
    expect(url.toString()).toBe("https://github.com/apps/patchline/installations/new?state=st.ate");
  });
});
