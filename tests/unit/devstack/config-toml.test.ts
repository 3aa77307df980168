import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "@/devstack/config";
import {
  CLI_DEFAULT_SIGNING_KEY,
  parseGoDuration,
  readSupabaseConfig,
} from "@/devstack/config-toml";

/** A config.toml (and optional devstack.toml) in a fresh directory. */
function project(toml: string, devstackToml?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "config-toml-"));
  const file = path.join(dir, "config.toml");
  writeFileSync(file, toml);
  if (devstackToml !== undefined) writeFileSync(path.join(dir, "devstack.toml"), devstackToml);
  return file;
}

describe("readSupabaseConfig: the CLI's defaults", () => {
  it("uses GoTrue's and PostgREST's defaults when the file is missing", () => {
    const c = readSupabaseConfig("/nonexistent/supabase/config.toml", {});
    expect(c.source).toBeNull();
    expect(c.api).toEqual({
      schemas: ["public"],
      extraSearchPath: ["public", "extensions"],
      maxRows: 1000,
    });
    expect(c.auth.minimumPasswordLength).toBe(6);
    expect(c.auth.passwordRequirements).toBe("");
    expect(c.devstack.passwordHibpEnabled).toBe(false);
    expect(c.auth.siteUrl).toBe("http://127.0.0.1:3000");
    expect(c.auth.enableSignup).toBe(true);
    expect(c.auth.enableAnonymousSignIns).toBe(false);
    expect(c.auth.email).toMatchObject({
      enableConfirmations: false,
      maxFrequency: 1,
      otpExpiry: 3600,
    });
    expect(c.auth.sms.enableSignup).toBe(false);
    expect(c.auth.mfa.totp).toEqual({ enrollEnabled: false, verifyEnabled: false });
    expect(c.auth.signingKeys).toEqual([CLI_DEFAULT_SIGNING_KEY]);
    expect(c.auth.external).toEqual({});
  });

  it("fills only what the file leaves out", () => {
    const c = readSupabaseConfig(project(`[auth]\nminimum_password_length = 10\n`), {});
    expect(c.auth.minimumPasswordLength).toBe(10);
    expect(c.auth.jwtExpiry).toBe(3600);
    expect(c.api.maxRows).toBe(1000);
  });
});

describe("readSupabaseConfig: env() and SUPABASE_* overrides", () => {
  const file = project(
    [
      `[auth]`,
      `site_url = "env(MY_SITE)"`,
      `additional_redirect_urls = ["env(MY_REDIRECT)", "https://fixed.example.com"]`,
      `[auth.external.github]`,
      `enabled = true`,
      `client_id = "env(GH_ID)"`,
      `secret = "prefix-env(GH_SECRET)"`,
    ].join("\n"),
  );

  it("substitutes a whole-string env(NAME) when the variable is set and non-empty", () => {
    const c = readSupabaseConfig(file, {
      MY_SITE: "https://app.example.com",
      MY_REDIRECT: "https://app.example.com/**",
      GH_ID: "gh-client",
      GH_SECRET: "never-used",
    });
    expect(c.auth.siteUrl).toBe("https://app.example.com");
    expect(c.auth.additionalRedirectUrls).toEqual([
      "https://app.example.com/**",
      "https://fixed.example.com",
    ]);
    expect(c.auth.external.github?.clientId).toBe("gh-client");
    // Only a value that is exactly env(...) is substituted, as the CLI's LoadEnvHook does.
    expect(c.auth.external.github?.secret).toBe("prefix-env(GH_SECRET)");
  });

  it("leaves env(NAME) as written when the variable is unset or empty (the CLI only warns)", () => {
    const c = readSupabaseConfig(file, { MY_SITE: "" });
    expect(c.auth.siteUrl).toBe("env(MY_SITE)");
    expect(c.auth.external.github?.clientId).toBe("env(GH_ID)");
  });

  it("lets SUPABASE_<SECTION>_<KEY> override the file, lists comma-separated", () => {
    const c = readSupabaseConfig(file, {
      SUPABASE_AUTH_SITE_URL: "https://override.example.com",
      SUPABASE_API_SCHEMAS: "public,api",
      SUPABASE_AUTH_EMAIL_ENABLE_CONFIRMATIONS: "true",
      SUPABASE_AUTH_MINIMUM_PASSWORD_LENGTH: "8",
    });
    expect(c.auth.siteUrl).toBe("https://override.example.com");
    expect(c.api.schemas).toEqual(["public", "api"]);
    expect(c.auth.email.enableConfirmations).toBe(true);
    expect(c.auth.minimumPasswordLength).toBe(8);
  });
});

describe("readSupabaseConfig: refusals name the key", () => {
  it.each([
    [`[api]\nmax_rows = "many"`, /api\.max_rows must be a non-negative integer/],
    [`[auth]\nenable_signup = "yes"`, /auth\.enable_signup must be true or false/],
    [`[auth]\nminimum_password_length = 4`, /at least 6/],
    [`[auth]\npassword_requirements = "digits"`, /auth\.password_requirements must be one of/],
    [`[auth.email]\nmax_frequency = "soon"`, /auth\.email\.max_frequency must be a duration/],
    [`[auth]\nsigning_keys_path = "./missing.json"`, /failed to read signing keys/],
  ])("%s", (toml, message) => {
    expect(() => readSupabaseConfig(project(toml), {})).toThrow(message);
  });

  it("reads signing_keys_path relative to config.toml", () => {
    const file = project(`[auth]\nsigning_keys_path = "./keys.json"\n`);
    const key = { ...CLI_DEFAULT_SIGNING_KEY, kid: "mine" };
    writeFileSync(path.join(path.dirname(file), "keys.json"), JSON.stringify([key]));
    const c = readSupabaseConfig(file, {});
    expect(c.auth.signingKeysPath).toBe(path.join(path.dirname(file), "keys.json"));
    expect(c.auth.signingKeys).toEqual([key]);
  });
});

describe("parseGoDuration", () => {
  it.each([
    ["1m0s", 60],
    ["1s", 1],
    ["1h30m", 5400],
    ["500ms", 0.5],
    ["0", 0],
  ])("%s is %d seconds", (text, seconds) => {
    expect(parseGoDuration(text)).toBe(seconds);
  });

  it.each(["", "1", "m", "1x", "1m 2s"])("refuses %j", (text) => {
    expect(() => parseGoDuration(text)).toThrow(/invalid duration/);
  });
});

describe("loadConfig with config.toml", () => {
  it("reads Patchline's supabase/config.toml: 12 characters, common-password check, confirmations", () => {
    const c = loadConfig({});
    expect(c.configToml).toMatch(/supabase\/config\.toml$/);
    expect(c.auth.passwordMinLength).toBe(12);
    expect(c.auth.passwordHibpEnabled).toBe(true);
    expect(c.auth.autoconfirm).toBe(false);
    expect(c.rest.schemas).toEqual(["public"]);
    expect(c.auth.external.github?.enabled).toBe(true);
  });

  it("takes GoTrue's defaults from a project without config.toml", () => {
    const c = loadConfig({ DEVSTACK_CONFIG_TOML: "/nonexistent/config.toml" });
    expect(c.configToml).toBeNull();
    expect(c.auth.passwordMinLength).toBe(6);
    expect(c.auth.passwordHibpEnabled).toBe(false);
    expect(c.auth.autoconfirm).toBe(true);
  });

  it("maps each setting, and the devstack's own variables still win", () => {
    const file = project(
      [
        `[api]`,
        `schemas = ["public", "api"]`,
        `extra_search_path = ["extensions"]`,
        `max_rows = 50`,
        `[auth]`,
        `site_url = "https://app.example.com"`,
        `additional_redirect_urls = ["https://app.example.com/**"]`,
        `jwt_expiry = 600`,
        `minimum_password_length = 8`,
        `[auth.email]`,
        `enable_confirmations = true`,
      ].join("\n"),
      `[auth]\npassword_hibp_enabled = true\n`,
    );
    const c = loadConfig({ DEVSTACK_CONFIG_TOML: file });
    expect(c.rest).toMatchObject({
      schemas: ["public", "api"],
      extraSearchPath: ["extensions"],
      maxRows: 50,
    });
    expect(c.siteUrl).toBe("https://app.example.com");
    expect(c.additionalRedirectUrls).toEqual(["https://app.example.com/**"]);
    expect(c.jwtExpiry).toBe(600);
    expect(c.auth.passwordMinLength).toBe(8);
    expect(c.auth.passwordHibpEnabled).toBe(true);
    expect(c.auth.autoconfirm).toBe(false);
    const over = loadConfig({
      DEVSTACK_CONFIG_TOML: file,
      AUTH_PASSWORD_MIN_LENGTH: "20",
      JWT_EXPIRY: "60",
    });
    expect(over.auth.passwordMinLength).toBe(20);
    expect(over.jwtExpiry).toBe(60);
  });
});
