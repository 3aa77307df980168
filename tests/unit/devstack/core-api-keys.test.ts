import { decodeJwt, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { signApiKeys } from "@/devstack/auth/jwt";
import { loadConfig } from "@/devstack/config";

// The keys `supabase start` prints for its default secret (shared/reference/supabase-inngest-contract.md §1.2).
const CLI_ANON =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0";

describe("API keys derived from the JWT secret", () => {
  it("reproduce the Supabase CLI's well-known anon key for the default secret", async () => {
    const keys = await signApiKeys(loadConfig({}).jwtSecret);
    expect(keys.anon).toBe(CLI_ANON);
    expect(decodeJwt(keys.serviceRole)).toMatchObject({
      role: "service_role",
      iss: "supabase-demo",
    });
  });

  it("change with the secret and verify only against it", async () => {
    const secret = "another-secret-that-is-at-least-32-characters";
    const keys = await signApiKeys(secret);
    expect(keys.anon).not.toBe(CLI_ANON);
    await expect(jwtVerify(keys.anon, new TextEncoder().encode(secret))).resolves.toBeTruthy();
    await expect(
      jwtVerify(keys.anon, new TextEncoder().encode(loadConfig({}).jwtSecret)),
    ).rejects.toThrow();
  });
});

describe("devstack config", () => {
  it("shifts every port by the offset", () => {
    const c = loadConfig({ DEVSTACK_PORT_OFFSET: "1000" });
    expect([c.apiPort, c.dbPort, c.mailboxPort, c.executorPort]).toEqual([
      55321, 55322, 55324, 9288,
    ]);
  });
  it("names the variable that is wrong", () => {
    expect(() => loadConfig({ JWT_SECRET: "short" })).toThrow(/JWT_SECRET/);
  });
});
