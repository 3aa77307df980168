import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signGithub, verifyGithub } from "@/lib/webhooks/github";
import { signIntercom, verifyIntercom } from "@/lib/webhooks/intercom";
import { signRazorpay, verifyRazorpay } from "@/lib/webhooks/razorpay";
import { signZendesk, verifyZendesk } from "@/lib/webhooks/zendesk";

/**
 * Published vectors, vectors of our own computed with `openssl dgst -hmac` from the documented
 * formulas (not with the code under test), and the classic mistakes as negatives.
 */

const bytes = (s: string) => Buffer.from(s, "utf8");

describe("GitHub (X-Hub-Signature-256)", () => {
  const secret = "It's a Secret to Everybody";
  const body = bytes("Hello, World!");
  const published = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

  it("accepts GitHub's published vector", () => {
    expect(verifyGithub({ body, signature: published, secrets: [secret] })).toEqual({
      ok: true,
      secretIndex: 0,
    });
    expect(signGithub(body, secret)).toBe(published);
  });

  it("accepts the previous secret during a rotation, and says which matched", () => {
    expect(verifyGithub({ body, signature: published, secrets: ["new-secret", secret] })).toEqual({
      ok: true,
      secretIndex: 1,
    });
  });

  it.each([
    ["missing prefix", published.slice("sha256=".length), "malformed_signature"],
    ["sha1 prefix", published.replace("sha256=", "sha1="), "malformed_signature"],
    [
      "base64 instead of hex",
      `sha256=${Buffer.from(published.slice(7), "hex").toString("base64")}`,
      "malformed_signature",
    ],
    ["truncated digest", published.slice(0, -2), "malformed_signature"],
    ["one digit changed", `${published.slice(0, -1)}f`, "mismatch"],
    ["empty header", "", "missing_signature"],
  ])("refuses a %s", (_label, signature, reason) => {
    expect(verifyGithub({ body, signature, secrets: [secret] })).toEqual({ ok: false, reason });
  });

  it("refuses a changed body (whitespace, truncation, empty, re-serialised)", () => {
    for (const other of ["Hello, World! ", "Hello, World", "", "hello, world!"]) {
      expect(verifyGithub({ body: bytes(other), signature: published, secrets: [secret] })).toEqual(
        { ok: false, reason: "mismatch" },
      );
    }
    const json = bytes('{"b": 1, "a": [1, 2]}');
    const sig = signGithub(json, secret);
    const reserialised = bytes(JSON.stringify(JSON.parse(json.toString())));
    expect(verifyGithub({ body: reserialised, signature: sig, secrets: [secret] }).ok).toBe(false);
  });

  it("refuses everything when no secret is configured (an empty key would be forgeable)", () => {
    const forged = signGithub(body, "");
    expect(verifyGithub({ body, signature: forged, secrets: ["", undefined, null] })).toEqual({
      ok: false,
      reason: "no_secret",
    });
  });
});

describe("Razorpay (X-Razorpay-Signature)", () => {
  const body = bytes('{"a":1,"b":2,"c":{"d":3}}');
  const published = "2fe04e22977002e6c7cb553adab8b460cb9e2a4970d5953cb27a8472752e3bbc";

  it("accepts razorpay-node's published vector and refuses its negative", () => {
    expect(verifyRazorpay({ body, signature: published, secrets: ["123456"] }).ok).toBe(true);
    expect(signRazorpay(body, "123456")).toBe(published);
    expect(verifyRazorpay({ body, signature: "sdfafds", secrets: ["123456"] })).toEqual({
      ok: false,
      reason: "malformed_signature",
    });
  });

  it("accepts the previous secret (Razorpay retries keep the old signature for 24 h)", () => {
    expect(verifyRazorpay({ body, signature: published, secrets: ["rotated", "123456"] })).toEqual({
      ok: true,
      secretIndex: 1,
    });
  });

  it.each([
    ["a sha256= prefix", `sha256=${published}`, "malformed_signature"],
    [
      "base64 instead of hex",
      Buffer.from(published, "hex").toString("base64"),
      "malformed_signature",
    ],
    ["a wrong secret's digest", signRazorpay(body, "654321"), "mismatch"],
  ])("refuses %s", (_label, signature, reason) => {
    expect(verifyRazorpay({ body, signature, secrets: ["123456"] })).toEqual({ ok: false, reason });
  });

  it("refuses a re-serialised or whitespace-changed body", () => {
    for (const other of ['{"a": 1, "b": 2, "c": {"d": 3}}', '{"a":1,"b":2,"c":{"d":3}}\n', ""]) {
      expect(
        verifyRazorpay({ body: bytes(other), signature: published, secrets: ["123456"] }).ok,
      ).toBe(false);
    }
  });
});

describe("Intercom (X-Hub-Signature, sha1)", () => {
  const secret = "sbx_ic_secret";
  const body = bytes(
    '{"type":"notification_event","id":"notif_1","topic":"ping","app_id":"abc123"}',
  );
  // printf '%s' "$body" | openssl dgst -sha1 -hmac sbx_ic_secret
  const ours = "sha1=4281b66e14ca1cd1936f5127017c08e83b3c3d36";

  it("accepts our vector computed with openssl from the formula", () => {
    expect(verifyIntercom({ body, signature: ours, secrets: [secret] }).ok).toBe(true);
    expect(signIntercom(body, secret)).toBe(ours);
  });

  it.each([
    ["missing prefix", ours.slice(5), "malformed_signature"],
    ["sha256 of the same body", signGithub(body, secret), "malformed_signature"],
    ["uppercase SHA1= prefix", ours.replace("sha1=", "SHA1="), "malformed_signature"],
    ["digest of another secret", signIntercom(body, "other"), "mismatch"],
  ])("refuses a %s", (_label, signature, reason) => {
    expect(verifyIntercom({ body, signature, secrets: [secret] })).toEqual({ ok: false, reason });
  });

  it("refuses a truncated body", () => {
    expect(
      verifyIntercom({ body: body.subarray(0, -1), signature: ours, secrets: [secret] }),
    ).toEqual({ ok: false, reason: "mismatch" });
  });
});

describe("Zendesk (timestamp + body, base64)", () => {
  // Zendesk's documentation example secret, used as the literal string (not base64-decoded).
  const secret = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==";
  const timestamp = "2021-03-25T05:09:27Z";
  const now = new Date("2021-03-25T05:10:00Z");
  const body = bytes('{"id":"01F1KRFQ6BG29CNWFR60NK5FNY","type":"zen:event-type:ticket.created"}');
  // printf '%s' "$timestamp$body" | openssl dgst -sha256 -hmac "$secret" -binary | base64
  const ours = "rNUMPAkDUOWFKvRIeDXYVs5N/HKSdQsMqAyxkeONvVc=";
  // the same with an empty body (GET/DELETE webhooks sign the timestamp alone)
  const emptyBody = "wCdBvXaHttn0wRVIYctzZ9O6O0bnqWakJMEKZ9VoRWw=";

  const verify = (over: Partial<Parameters<typeof verifyZendesk>[0]>) =>
    verifyZendesk({ body, signature: ours, timestamp, secrets: [secret], now, ...over });

  it("accepts our vector computed with openssl from the documented formula", () => {
    expect(verify({})).toEqual({ ok: true, secretIndex: 0 });
    expect(signZendesk(body, secret, timestamp).signature).toBe(ours);
  });

  it("accepts an empty body, where only the timestamp is signed", () => {
    expect(verify({ body: bytes(""), signature: emptyBody }).ok).toBe(true);
  });

  it("accepts the workspace's previous secret during a rotation", () => {
    expect(verify({ secrets: ["sbx_whsec_new", secret] })).toEqual({ ok: true, secretIndex: 1 });
  });

  it("does not base64-decode the secret", () => {
    const decodedKey = Buffer.from(secret, "base64").toString("utf8");
    expect(verify({ secrets: [decodedKey] })).toEqual({ ok: false, reason: "mismatch" });
  });

  it("refuses the classic mistakes", () => {
    const mac = (key: string, ...parts: string[]) => {
      const h = createHmac("sha256", key);
      for (const p of parts) h.update(p);
      return h.digest();
    };
    const b = body.toString();
    const cases: Array<[string, Partial<Parameters<typeof verifyZendesk>[0]>, string]> = [
      [
        "body then timestamp",
        { signature: mac(secret, b, timestamp).toString("base64") },
        "mismatch",
      ],
      ["body only", { signature: mac(secret, b).toString("base64") }, "mismatch"],
      ["a separator", { signature: mac(secret, timestamp, ".", b).toString("base64") }, "mismatch"],
      [
        "hex instead of base64",
        { signature: Buffer.from(ours, "base64").toString("hex") },
        "malformed_signature",
      ],
      [
        "base64url",
        { signature: mac(secret, timestamp, b).toString("base64url") },
        "malformed_signature",
      ],
      ["missing padding", { signature: ours.replace(/=$/, "") }, "malformed_signature"],
      ["a whitespace change", { body: bytes(b.replace(",", ", ")) }, "mismatch"],
      ["a truncated body", { body: body.subarray(0, 10) }, "mismatch"],
      ["an empty body", { body: bytes("") }, "mismatch"],
      ["a reformatted timestamp", { timestamp: "2021-03-25T05:09:27.000Z" }, "mismatch"],
      ["no timestamp", { timestamp: null }, "missing_timestamp"],
      ["a unix timestamp", { timestamp: "1616648967" }, "malformed_timestamp"],
      ["no signature", { signature: undefined }, "missing_signature"],
    ];
    for (const [label, over, reason] of cases) {
      expect(verify(over), label).toEqual({ ok: false, reason });
    }
  });

  it("holds the signed timestamp to ±5 minutes of our clock", () => {
    const at = (iso: string) => verify({ now: new Date(iso) });
    expect(at("2021-03-25T05:14:27Z").ok).toBe(true); // exactly 5 min later
    expect(at("2021-03-25T05:04:27Z").ok).toBe(true); // exactly 5 min earlier (skew)
    expect(at("2021-03-25T05:14:28Z")).toEqual({ ok: false, reason: "stale_timestamp" });
    expect(at("2021-03-25T05:04:26Z")).toEqual({ ok: false, reason: "stale_timestamp" });
    // a fresh timestamp does not rescue a replayed signature
    const fresh = "2021-03-25T05:10:00Z";
    expect(verify({ timestamp: fresh })).toEqual({ ok: false, reason: "mismatch" });
  });
});
