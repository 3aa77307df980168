import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  consumeOAuthState,
  createOAuthState,
  OAUTH_STATE_TTL_MS,
  type OAuthCallbackContext,
  type OAuthStateKeys,
  type OAuthStateRecord,
  type OAuthStateStore,
  verifyOAuthState,
} from "@/lib/integrations/oauth-state";

/** An in-memory oauth_states with the same consume rule as the SQL update. */
function memoryStore(): OAuthStateStore & {
  rows: Map<string, OAuthStateRecord & { consumedAt?: Date }>;
} {
  const rows = new Map<string, OAuthStateRecord & { consumedAt?: Date }>();
  return {
    rows,
    async insert(record) {
      if (rows.has(record.nonceHash)) throw new Error("duplicate");
      rows.set(record.nonceHash, { ...record });
    },
    async consume({ nonceHash, organizationId }, now) {
      const row = rows.get(nonceHash);
      if (!row || row.organizationId !== organizationId || row.consumedAt) return false;
      if (row.expiresAt.getTime() <= now.getTime()) return false;
      row.consumedAt = now;
      return true;
    },
  };
}

const keys: OAuthStateKeys = [randomBytes(32)];
const user = randomUUID();
const org = randomUUID();
const session = randomUUID();
const binding = {
  organizationId: org,
  userId: user,
  sessionId: session,
  provider: "zendesk" as const,
};
const callback: OAuthCallbackContext = { userId: user, sessionId: session, provider: "zendesk" };

async function started(now = new Date()) {
  const store = memoryStore();
  const { state } = await createOAuthState(binding, { keys, store, now });
  return { store, state };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "accepted";
  } catch (error) {
    return (error as { reason?: string }).reason ?? String(error);
  }
}

describe("OAuth state", () => {
  it("is accepted once for its user, session, workspace and provider", async () => {
    const { store, state } = await started();
    await expect(
      consumeOAuthState(state, { ...callback, organizationId: org }, { keys, store }),
    ).resolves.toEqual({ organizationId: org, userId: user, provider: "zendesk" });
    expect([...store.rows.values()][0]?.consumedAt).toBeInstanceOf(Date);
  });

  it("stores only the nonce's hash, and the state carries no session id", async () => {
    const { store, state } = await started();
    const [row] = [...store.rows.values()];
    expect(row?.nonceHash).toMatch(/^[0-9a-f]{64}$/);
    const payload = Buffer.from(state.split(".")[0] ?? "", "base64url").toString("utf8");
    expect(payload).not.toContain(session);
    expect(payload).not.toContain(row?.nonceHash);
  });

  it("is refused when replayed", async () => {
    const { store, state } = await started();
    await consumeOAuthState(state, callback, { keys, store });
    expect(await refusal(consumeOAuthState(state, callback, { keys, store }))).toBe("replayed");
  });

  it("is refused when forged: payload changed, signature changed, or another key", async () => {
    const { store, state } = await started();
    const [body, mac] = state.split(".") as [string, string];
    const payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    const otherOrg = Buffer.from(JSON.stringify({ ...payload, o: randomUUID() })).toString(
      "base64url",
    );
    expect(await refusal(consumeOAuthState(`${otherOrg}.${mac}`, callback, { keys, store }))).toBe(
      "forged",
    );
    const flipped = `${body}.${mac.slice(0, -2)}${mac.endsWith("AA") ? "BB" : "AA"}`;
    expect(await refusal(consumeOAuthState(flipped, callback, { keys, store }))).toBe("forged");
    expect(
      await refusal(consumeOAuthState(state, callback, { keys: [randomBytes(32)], store })),
    ).toBe("forged");
    for (const junk of ["", "abc", "a.b.c", `${body}.`, "x".repeat(2000)]) {
      expect(
        await refusal(consumeOAuthState(junk, callback, { keys, store })),
        junk.slice(0, 9),
      ).toMatch(/^(malformed|forged)$/);
    }
    // none of the refusals consumed the real state
    await expect(consumeOAuthState(state, callback, { keys, store })).resolves.toBeTruthy();
  });

  it("is refused when expired (10 minutes after it was made)", async () => {
    const start = new Date("2026-12-06T10:00:00Z");
    const { store, state } = await started(start);
    const late = new Date(start.getTime() + OAUTH_STATE_TTL_MS + 1);
    expect(await refusal(consumeOAuthState(state, callback, { keys, store, now: late }))).toBe(
      "expired",
    );
    const justInTime = new Date(start.getTime() + OAUTH_STATE_TTL_MS - 1000);
    await expect(
      consumeOAuthState(state, callback, { keys, store, now: justInTime }),
    ).resolves.toBeTruthy();
  });

  it("is refused for another user, another session, another workspace or another provider", async () => {
    const { store, state } = await started();
    const cases: Array<[Partial<OAuthCallbackContext>, string]> = [
      [{ userId: randomUUID() }, "wrong_user"],
      [{ sessionId: randomUUID() }, "wrong_session"],
      [{ organizationId: randomUUID() }, "wrong_organization"],
      [{ provider: "github" }, "wrong_provider"],
    ];
    for (const [change, reason] of cases) {
      expect(
        await refusal(consumeOAuthState(state, { ...callback, ...change }, { keys, store })),
      ).toBe(reason);
    }
    // still unconsumed: a refusal writes nothing
    expect([...store.rows.values()][0]?.consumedAt).toBeUndefined();
  });

  it("verifies with an older key after rotation (first key signs, any key verifies)", async () => {
    const store = memoryStore();
    const { state } = await createOAuthState(binding, { keys, store });
    const rotated: OAuthStateKeys = [randomBytes(32), keys[0]];
    expect(verifyOAuthState(state, callback, { keys: rotated }).o).toBe(org);
  });

  it("a nonce unknown to the store (never started here) is refused as replayed", async () => {
    const { state } = await started();
    expect(await refusal(consumeOAuthState(state, callback, { keys, store: memoryStore() }))).toBe(
      "replayed",
    );
  });
});
