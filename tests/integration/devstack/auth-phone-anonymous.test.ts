import { afterAll, describe, expect, it } from "vitest";
import { anonClient, closeDb, env, GOOD_PASSWORD, raw, uniqueEmail } from "./auth-support";

/**
 * Anonymous sign-ins and phone sign-in with their CLI defaults (both off: `enable_anonymous_sign_ins
 * = false`, `[auth.sms] enable_signup = false`), answered with GoTrue's status, code and message
 * (supabase/auth internal/api: the /signup route, signup.go, otp.go, token.go, resend.go). The
 * switched-on side is in auth-config-toml.test.ts.
 */
afterAll(closeDb);

const post = (path: string, body: unknown, version?: string | null) =>
  raw(path, { method: "POST", body: JSON.stringify(body), version });

async function expectError(r: Response, status: number, code: string, message: string) {
  expect(r.status).toBe(status);
  expect(r.headers.get("x-sb-error-code")).toBe(code);
  expect(await r.json()).toEqual({ code, message });
}

describe("settings", () => {
  it("lists anonymous_users and phone as disabled", async () => {
    const r = await fetch(`${env().API_URL}/auth/v1/settings`, {
      headers: { apikey: env().ANON_KEY },
    });
    const body = (await r.json()) as { external: Record<string, boolean>; disable_signup: boolean };
    expect(body.external).toMatchObject({ anonymous_users: false, phone: false, email: true });
    expect(body.disable_signup).toBe(false);
  });
});

describe("anonymous sign-ins disabled", () => {
  it("POST /signup without email or phone is 422 anonymous_provider_disabled", async () => {
    await expectError(
      await post("/signup", { data: {} }),
      422,
      "anonymous_provider_disabled",
      "Anonymous sign-ins are disabled",
    );
  });

  it("supabase-js signInAnonymously() gets the same error and no session", async () => {
    const { data, error } = await anonClient().auth.signInAnonymously();
    expect(data.session).toBeNull();
    expect(error?.status).toBe(422);
    expect(error?.code).toBe("anonymous_provider_disabled");
  });

  it("answers the legacy format without the API version header", async () => {
    const r = await post("/signup", {}, null);
    expect(r.status).toBe(422);
    expect(await r.json()).toEqual({
      code: 422,
      error_code: "anonymous_provider_disabled",
      msg: "Anonymous sign-ins are disabled",
    });
  });
});

describe("phone sign-in disabled", () => {
  const phone = "+14155550123";

  it("sign-up with a phone is 400 phone_provider_disabled, after the password checks", async () => {
    await expectError(
      await post("/signup", { phone, password: GOOD_PASSWORD, channel: "sms" }),
      400,
      "phone_provider_disabled",
      "Phone signups are disabled",
    );
    // GoTrue validates the password before it looks at the provider.
    await expectError(
      await post("/signup", { phone, password: "" }),
      400,
      "validation_failed",
      "Signup requires a valid password",
    );
    const weak = await post("/signup", { phone, password: "short" });
    expect(weak.status).toBe(422);
    expect(await weak.json()).toMatchObject({ code: "weak_password" });
  });

  it("sign-up with both an email and a phone is 400 validation_failed", async () => {
    await expectError(
      await post("/signup", { email: uniqueEmail(), phone, password: GOOD_PASSWORD }),
      400,
      "validation_failed",
      "Only an email address or phone number should be provided on signup.",
    );
  });

  it("supabase-js signInWithOtp({phone}) is 400 'Unsupported phone provider'", async () => {
    const { error } = await anonClient().auth.signInWithOtp({ phone });
    expect(error?.status).toBe(400);
    expect(error?.code).toBe("phone_provider_disabled");
    expect(error?.message).toBe("Unsupported phone provider");
  });

  it("POST /otp without email or phone, or with both, is 400 validation_failed", async () => {
    await expectError(
      await post("/otp", {}),
      400,
      "validation_failed",
      "One of email or phone must be set",
    );
    await expectError(
      await post("/otp", { email: uniqueEmail(), phone }),
      400,
      "validation_failed",
      "Only an email address or phone number should be provided",
    );
  });

  it("password sign-in with a phone is 422 'Phone logins are disabled'", async () => {
    const { error } = await anonClient().auth.signInWithPassword({
      phone,
      password: GOOD_PASSWORD,
    });
    expect(error?.status).toBe(422);
    expect(error?.code).toBe("phone_provider_disabled");
    expect(error?.message).toBe("Phone logins are disabled");
  });

  it("resend of an SMS is 400 'Phone logins are disabled'; without a phone, validation_failed", async () => {
    await expectError(
      await post("/resend", { type: "sms", phone }),
      400,
      "phone_provider_disabled",
      "Phone logins are disabled",
    );
    await expectError(
      await post("/resend", { type: "sms" }),
      400,
      "validation_failed",
      "Type provided requires a phone number",
    );
  });
});
