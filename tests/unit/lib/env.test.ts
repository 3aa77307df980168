import { describe, expect, it } from "vitest";
import { EnvError, parsePublicEnv, parseServerEnv } from "@/lib/env";

const PUBLIC = {
  NEXT_PUBLIC_SUPABASE_URL: "http://127.0.0.1:54321",
  NEXT_PUBLIC_SUPABASE_ANON_KEY: "anon-key",
  NEXT_PUBLIC_SITE_URL: "http://localhost:3000",
};
const SERVER = {
  NODE_ENV: "development",
  SUPABASE_SERVICE_ROLE_KEY: "service-key",
  MAIL_TRANSPORT: "mailbox",
  MAILBOX_URL: "http://127.0.0.1:54324",
};

function errorOf(fn: () => unknown): EnvError {
  try {
    fn();
  } catch (error) {
    if (error instanceof EnvError) return error;
    throw error;
  }
  throw new Error("expected an EnvError");
}

describe("lib/env", () => {
  it("parses a complete public environment", () => {
    expect(parsePublicEnv(PUBLIC)).toEqual(PUBLIC);
  });

  it("names every missing public variable", () => {
    const error = errorOf(() => parsePublicEnv({ NEXT_PUBLIC_SITE_URL: "http://localhost:3000" }));
    expect(error.variables).toEqual(["NEXT_PUBLIC_SUPABASE_URL", "NEXT_PUBLIC_SUPABASE_ANON_KEY"]);
    expect(error.message).toContain("NEXT_PUBLIC_SUPABASE_URL is missing");
    expect(error.message).toContain("NEXT_PUBLIC_SUPABASE_ANON_KEY is missing");
  });

  it("treats empty strings as missing and rejects non-http URLs", () => {
    const error = errorOf(() =>
      parsePublicEnv({
        ...PUBLIC,
        NEXT_PUBLIC_SUPABASE_ANON_KEY: "  ",
        NEXT_PUBLIC_SITE_URL: "ftp://x",
      }),
    );
    expect(error.variables).toEqual(["NEXT_PUBLIC_SUPABASE_ANON_KEY", "NEXT_PUBLIC_SITE_URL"]);
    expect(error.message).toMatch(/NEXT_PUBLIC_SITE_URL is invalid/);
  });

  it("knows nothing of the service-role key (lib/supabase/admin.ts alone reads it)", () => {
    const env = parseServerEnv(SERVER);
    expect(env).not.toHaveProperty("SUPABASE_SERVICE_ROLE_KEY");
    expect(JSON.stringify(env)).not.toContain("service-key");
  });

  it("requires the transport's own settings", () => {
    expect(errorOf(() => parseServerEnv({ ...SERVER, MAILBOX_URL: undefined })).variables).toEqual([
      "MAILBOX_URL",
    ]);
    expect(
      errorOf(() => parseServerEnv({ ...SERVER, MAIL_TRANSPORT: "resend" })).variables,
    ).toEqual(["RESEND_API_KEY"]);
    expect(
      parseServerEnv({ ...SERVER, MAIL_TRANSPORT: "resend", RESEND_API_KEY: "re_x" }),
    ).toMatchObject({
      MAIL_TRANSPORT: "resend",
    });
  });

  it("requires Inngest keys in production unless INNGEST_DEV is set", () => {
    const production = { ...SERVER, NODE_ENV: "production" };
    expect(errorOf(() => parseServerEnv(production)).variables).toEqual([
      "INNGEST_SIGNING_KEY",
      "INNGEST_EVENT_KEY",
    ]);
    expect(parseServerEnv({ ...production, INNGEST_DEV: "1" }).NODE_ENV).toBe("production");
    expect(
      parseServerEnv({
        ...production,
        INNGEST_SIGNING_KEY: "signkey-prod-x",
        INNGEST_EVENT_KEY: "e",
      }).INNGEST_SIGNING_KEY,
    ).toBe("signkey-prod-x");
  });

  it("rejects an unknown mail transport by name", () => {
    const error = errorOf(() => parseServerEnv({ ...SERVER, MAIL_TRANSPORT: "smtp" }));
    expect(error.variables).toEqual(["MAIL_TRANSPORT"]);
    expect(error.message).toContain("MAIL_TRANSPORT is invalid");
  });
});
