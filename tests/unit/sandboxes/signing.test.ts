import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  githubSignature,
  intercomSignature,
  razorpaySignature,
  zendeskSignature,
} from "@/devstack/sandboxes/signing";

// Published vectors: /work/shared/reference/webhooks.md.
describe("sandbox webhook signatures", () => {
  it("GitHub: the docs' vector", () => {
    expect(githubSignature("It's a Secret to Everybody", "Hello, World!")).toBe(
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
    );
  });

  it("Razorpay: razorpay-node's vector, hex without prefix", () => {
    expect(razorpaySignature("123456", '{"a":1,"b":2,"c":{"d":3}}')).toBe(
      "2fe04e22977002e6c7cb553adab8b460cb9e2a4970d5953cb27a8472752e3bbc",
    );
  });

  it("Zendesk: base64 HMAC-SHA256 of timestamp then body, the secret used literally", () => {
    const secret = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==";
    const ts = "2026-12-06T04:00:00Z";
    const body = '{"id":"e1"}';
    const sig = zendeskSignature(secret, ts, body);
    expect(sig).toBe(createHmac("sha256", secret).update(`${ts}${body}`).digest("base64"));
    // Not the decoded secret, not body-then-timestamp.
    expect(sig).not.toBe(
      createHmac("sha256", Buffer.from(secret, "base64")).update(`${ts}${body}`).digest("base64"),
    );
    expect(sig).not.toBe(zendeskSignature(secret, body, ts));
    expect(Buffer.from(sig, "base64")).toHaveLength(32);
  });

  it("Intercom: sha1= and lowercase hex", () => {
    const sig = intercomSignature("secret", "{}");
    expect(sig).toMatch(/^sha1=[0-9a-f]{40}$/);
    expect(sig).toBe(`sha1=${createHmac("sha1", "secret").update("{}").digest("hex")}`);
  });
});
