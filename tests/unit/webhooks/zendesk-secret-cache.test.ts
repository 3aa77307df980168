import { describe, expect, it } from "vitest";
import type { VerifyResult } from "@/lib/webhooks/signature";
import { ZendeskSecretCache, type ZendeskSecrets } from "@/lib/webhooks/zendesk-secret-cache";

/** The Zendesk secret cache may save lookups, never accept what a fresh lookup would refuse. */

const live = { status: "live", organizationId: "o1", integrationId: "i1" } as const;
const signedWith =
  (secret: string) =>
  (secrets: string[]): VerifyResult =>
    secrets.includes(secret)
      ? { ok: true, secretIndex: secrets.indexOf(secret) }
      : { ok: false, reason: "mismatch" };

function lookups(...answers: ZendeskSecrets[]) {
  let calls = 0;
  const lookup = async () => {
    const a = answers[Math.min(calls, answers.length - 1)];
    calls++;
    if (!a) throw new Error("no answer");
    return a;
  };
  return { lookup, calls: () => calls };
}

describe("ZendeskSecretCache", () => {
  it("looks up once, then verifies from the cache until the entry expires", async () => {
    const cache = new ZendeskSecretCache(60_000);
    const db = lookups({ tenant: live, secrets: ["s1"] });
    for (const now of [0, 10_000, 59_999]) {
      const out = await cache.verify("wh", db.lookup, signedWith("s1"), now);
      expect(out).toEqual({ result: { ok: true, secretIndex: 0 }, tenant: live });
    }
    expect(db.calls()).toBe(1);
    await cache.verify("wh", db.lookup, signedWith("s1"), 60_000);
    expect(db.calls()).toBe(2);
  });

  it("a refusal by cached secrets is decided by a fresh lookup (a rotation is seen at once)", async () => {
    const cache = new ZendeskSecretCache();
    const db = lookups(
      { tenant: live, secrets: ["old"] },
      { tenant: live, secrets: ["new", "old"] },
    );
    await cache.verify("wh", db.lookup, signedWith("old"), 0);
    const out = await cache.verify("wh", db.lookup, signedWith("new"), 1);
    expect(out.result).toEqual({ ok: true, secretIndex: 0 });
    expect(db.calls()).toBe(2);
  });

  it("a forgery is refused and costs a lookup every time; an unknown webhook is never cached", async () => {
    const cache = new ZendeskSecretCache();
    const db = lookups({ tenant: live, secrets: ["s1"] });
    await cache.verify("wh", db.lookup, signedWith("s1"), 0);
    for (const now of [1, 2]) {
      expect((await cache.verify("wh", db.lookup, signedWith("forged"), now)).result.ok).toBe(
        false,
      );
    }
    expect(db.calls()).toBe(3);
    const none = lookups({ tenant: { status: "unknown" }, secrets: [] });
    await cache.verify("nobody", none.lookup, signedWith("x"), 0);
    await cache.verify("nobody", none.lookup, signedWith("x"), 1);
    expect(none.calls()).toBe(2);
  });

  it("an entry holding a previous secret ends when that secret expires", async () => {
    const cache = new ZendeskSecretCache(60_000);
    const db = lookups(
      { tenant: live, secrets: ["new", "old"], validUntil: 5_000 },
      { tenant: live, secrets: ["new"] },
    );
    expect((await cache.verify("wh", db.lookup, signedWith("old"), 0)).result.ok).toBe(true);
    expect((await cache.verify("wh", db.lookup, signedWith("old"), 4_999)).result.ok).toBe(true);
    expect((await cache.verify("wh", db.lookup, signedWith("old"), 5_000)).result.ok).toBe(false);
    expect(db.calls()).toBe(2);
  });

  it("holds at most its maximum number of entries", async () => {
    const cache = new ZendeskSecretCache(60_000, 2);
    for (const id of ["a", "b", "c"]) {
      await cache.verify(id, lookups({ tenant: live, secrets: [id] }).lookup, signedWith(id), 0);
    }
    expect(cache.size).toBe(2);
  });
});
