import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { devstackEnv } from "@/tests/helpers/devstack-env";
import { anonClient, TEST_PASSWORD } from "./helpers/api";
import { latestMailTo, useDevstackAppEnv } from "./helpers/app-env";

vi.mock("server-only", () => ({}));

/**
 * Runs a sign-up → sign-in → create workspace → invite → accept flow (plus its failure paths)
 * through the app's modules with the real logger writing to a captured destination, then fails
 * if any secret, token, password or email address reached the log output.
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

const secrets: string[] = [];
const expectedEvents = [
  "admin client used",
  "auth event recorded",
  "mail sent",
  "invitation sent",
  "mail not sent",
];

beforeAll(async () => {
  useDevstackAppEnv();
  const env = devstackEnv();
  secrets.push(env.SERVICE_ROLE_KEY, env.ANON_KEY, env.JWT_SECRET, TEST_PASSWORD);
});

afterAll(async () => {
  const { setMailTransportForTests } = await import("@/lib/mail");
  setMailTransportForTests(undefined);
});

describe("log capture", () => {
  it("a whole account and invitation flow logs events but no secret, token, password or email", async () => {
    const { log } = await import("@/lib/log");
    const { recordAuthEvent } = await import("@/lib/auth/audit");
    const { createOrganization } = await import("@/lib/organizations/organizations");
    const { acceptInvitation, inviteMember } = await import("@/lib/organizations/invitations");
    const { setMailTransportForTests } = await import("@/lib/mail");
    const { toAppError } = await import("@/lib/errors");
    const stamp = Date.now().toString(36);
    const ownerEmail = `log-owner-${stamp}@example.com`;
    const inviteeEmail = `log-invitee-${stamp}@example.com`;
    secrets.push(ownerEmail, inviteeEmail, ownerEmail.split("@")[0] ?? "");

    // sign up (confirmation mail through the devstack auth), confirm, sign in
    const owner = anonClient();
    const signUp = await owner.auth.signUp({ email: ownerEmail, password: TEST_PASSWORD });
    expect(signUp.error).toBeNull();
    const userId = signUp.data.user?.id ?? "";
    await recordAuthEvent("auth.sign_up", { userId });
    const { createAdminClient } = await import("@/lib/supabase/admin");
    const admin = await createAdminClient({
      reason: "confirm test user",
      noOrganization: "auth-event",
    });
    await admin.auth.admin.updateUserById(userId, { email_confirm: true });

    const wrong = await owner.auth.signInWithPassword({
      email: ownerEmail,
      password: "wrong-password-123",
    });
    expect(wrong.error).not.toBeNull();
    log.warn({ email: ownerEmail, err: wrong.error }, `sign-in failed for ${ownerEmail}`);
    await recordAuthEvent("auth.sign_in_failed", { email: ownerEmail });

    const signIn = await owner.auth.signInWithPassword({
      email: ownerEmail,
      password: TEST_PASSWORD,
    });
    expect(signIn.error).toBeNull();
    const session = signIn.data.session;
    if (!session || !signIn.data.user) throw new Error("no session");
    secrets.push(session.access_token, session.refresh_token);
    await recordAuthEvent("auth.sign_in", { userId });
    log.debug({ session, user: signIn.data.user }, "session established"); // a careless debug line

    // workspace and invitation
    const org = await createOrganization(owner, { name: "Log Co", slug: `log-${stamp}` });
    await inviteMember({
      supabase: owner,
      org,
      inviter: signIn.data.user,
      email: inviteeEmail,
      role: "member",
    });
    const mail = await latestMailTo(inviteeEmail);
    const token = /\/invite\/([0-9a-f]{64})/.exec(mail.text ?? "")?.[1];
    expect(token).toBeDefined();
    secrets.push(token ?? "never");

    // the invitee signs up and accepts
    const invitee = anonClient();
    const inviteeUp = await invitee.auth.signUp({ email: inviteeEmail, password: TEST_PASSWORD });
    await admin.auth.admin.updateUserById(inviteeUp.data.user?.id ?? "", { email_confirm: true });
    const inviteeIn = await invitee.auth.signInWithPassword({
      email: inviteeEmail,
      password: TEST_PASSWORD,
    });
    secrets.push(inviteeIn.data.session?.access_token ?? "never");
    const joined = await acceptInvitation(invitee, token ?? "");
    expect(joined.id).toBe(org.id);
    log.info({ url: `http://localhost:3000/invite/${token}` }, "invite link opened");

    // failure paths: a duplicate invite, and a mail transport that fails
    try {
      await inviteMember({
        supabase: owner,
        org,
        inviter: signIn.data.user,
        email: inviteeEmail,
        role: "viewer",
      });
      throw new Error("expected a conflict");
    } catch (error) {
      log.error({ err: toAppError(error).cause ?? error, email: inviteeEmail }, "invite refused");
    }
    setMailTransportForTests({
      name: "broken",
      send: async (m) => {
        throw new Error(`SMTP 550 mailbox ${m.to} unavailable`);
      },
    });
    await expect(
      inviteMember({
        supabase: owner,
        org,
        inviter: signIn.data.user,
        email: `third-${stamp}@example.com`,
        role: "viewer",
      }),
    ).rejects.toMatchObject({ code: "unavailable" });
    secrets.push(`third-${stamp}@example.com`);

    const output = captured.lines.join("");
    for (const event of expectedEvents) expect(output, event).toContain(event);
    expect(captured.lines.length).toBeGreaterThan(10);
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(3);
      expect(output.includes(secret), `log output contains a secret (${secret.slice(0, 6)}…)`).toBe(
        false,
      );
    }
    expect(output).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/);
    expect(output).not.toMatch(/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/);
    expect(output).not.toMatch(/[0-9a-f]{64}/);
  });
});
