import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { signGithub, verifyGithub } from "@/lib/webhooks/github";
import { signIntercom, verifyIntercom } from "@/lib/webhooks/intercom";
import { signRazorpay, verifyRazorpay } from "@/lib/webhooks/razorpay";
import type { VerifyResult } from "@/lib/webhooks/signature";
import { signZendesk, verifyZendesk } from "@/lib/webhooks/zendesk";

/**
 * Random headers and bodies: no exception escapes a verifier, nothing random is accepted, and any
 * body signed with the formula is accepted while a one-byte change to it is not.
 */

const hex = (length?: number) =>
  fc.string({
    unit: fc.constantFrom(..."0123456789abcdefABCDEF"),
    ...(length === undefined ? {} : { minLength: length, maxLength: length }),
  });
const header = fc.option(
  fc.oneof(
    fc.string(),
    fc.string({ unit: "binary" }),
    hex().map((h) => `sha256=${h}`),
    hex(40).map((h) => `sha1=${h}`),
    hex(64),
    fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString("base64")),
  ),
  { nil: undefined },
);
const body = fc.uint8Array({ maxLength: 512 });
const secrets = fc.array(fc.option(fc.string(), { nil: undefined }), { maxLength: 3 });
const timestamp = fc.option(
  fc.oneof(
    fc.string(),
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  ),
  { nil: null },
);

const refused = (r: VerifyResult) => !r.ok;

describe("verifier fuzz", () => {
  it("random input never throws and is never accepted", () => {
    fc.assert(
      fc.property(body, header, header, timestamp, secrets, (b, sig, sig2, ts, keys) => {
        expect(refused(verifyGithub({ body: b, signature: sig, secrets: keys }))).toBe(true);
        expect(refused(verifyIntercom({ body: b, signature: sig, secrets: keys }))).toBe(true);
        expect(refused(verifyRazorpay({ body: b, signature: sig2, secrets: keys }))).toBe(true);
        expect(
          refused(verifyZendesk({ body: b, signature: sig, timestamp: ts, secrets: keys })),
        ).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("a body signed by the formula verifies; the same body with one byte flipped does not", () => {
    const now = new Date("2026-12-06T10:00:00Z");
    const ts = now.toISOString();
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 512 }),
        fc.string({ minLength: 1 }),
        fc.nat(),
        (raw, key, at) => {
          const b = Buffer.from(raw);
          const flipped = Buffer.from(b);
          const i = at % flipped.length;
          flipped[i] = (flipped[i] ?? 0) ^ 0x01;
          const zd = signZendesk(b, key, ts).signature;
          const cases: Array<[(x: Buffer) => VerifyResult]> = [
            [(x) => verifyGithub({ body: x, signature: signGithub(b, key), secrets: [key] })],
            [(x) => verifyIntercom({ body: x, signature: signIntercom(b, key), secrets: [key] })],
            [(x) => verifyRazorpay({ body: x, signature: signRazorpay(b, key), secrets: [key] })],
            [(x) => verifyZendesk({ body: x, signature: zd, timestamp: ts, secrets: [key], now })],
          ];
          for (const [verify] of cases) {
            expect(verify(b).ok).toBe(true);
            expect(verify(flipped).ok).toBe(false);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
