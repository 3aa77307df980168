import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ibanValid, luhnValid, redactPii } from "@/lib/pipeline/redact";

/**
 * Every 13–19 digit number in `text` written whole or in groups joined by single spaces or
 * dashes, and not part of a longer digit string, whose digits pass Luhn: a card number.
 * Checks every span of whole groups, the way a reader would split "4111 1111 1111 1111 22".
 */
function visibleCards(text: string): string[] {
  const cards: string[] = [];
  for (const run of text.match(/(?<!\d)\d+(?:[ -]\d+)*(?!\d)/g) ?? []) {
    const groups = run.split(/[ -]/);
    for (let start = 0; start < groups.length; start++) {
      let digits = "";
      for (let end = start; end < groups.length; end++) {
        digits += groups[end];
        if (digits.length > 19) break;
        if (digits.length >= 13 && luhnValid(digits)) cards.push(digits);
      }
    }
  }
  return cards;
}

/** A Luhn-valid number of `length` digits starting with `prefix`. */
function withCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error("unreachable");
}

const cardArb = fc
  .tuple(fc.constantFrom("4", "51", "37", "6011", "35"), fc.integer({ min: 13, max: 19 }), fc.nat())
  .chain(([prefix, length]) =>
    fc
      .array(fc.integer({ min: 0, max: 9 }), {
        minLength: length - prefix.length - 1,
        maxLength: length - prefix.length - 1,
      })
      .map((digits) => withCheckDigit(prefix + digits.join(""))),
  );

const formatted = (card: string, sep: string) =>
  sep === "" ? card : (card.match(/.{1,4}/g) ?? []).join(sep);

// Text around a card that cannot glue digits onto it.
const prose = fc.stringMatching(/^[A-Za-z ,.:;!?()'"\n-]{0,40}$/);

// Fragments that look like what the redactor hunts, to build adversarial strings.
const fragment = fc.oneof(
  fc.stringMatching(/^[0-9 -]{1,24}$/),
  fc.constantFrom(
    "4111 1111 1111 1111",
    "4111-1111-1111-1111",
    "+49 30 1234 5678",
    "(555) 123-4567",
    "jane@example.com",
    "a@b",
    "@",
    ".",
    "[card]",
    "[email]",
    "password=",
    "token: ",
    "Bearer ",
    "sk_live_",
    "eyJ",
    "DE89 3704 0044 0532 0130 00",
    "GB82WEST12345698765432",
    "-----BEGIN PRIVATE KEY-----",
  ),
  fc.string({ maxLength: 12 }),
  fc.stringMatching(/^[A-Za-z0-9_-]{30,50}$/),
);
const adversarial = fc.array(fragment, { maxLength: 12 }).map((parts) => parts.join(""));

describe("redactPii", () => {
  it("redacts each kind and reports it as a risk tag", () => {
    const input = [
      "From jane.doe+billing@example.co.uk, phone +49 30 1234 5678 or (555) 123-4567.",
      "Card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00.",
      "Key sk_live_51HxYzAbCdEfGhIjKlMn and ghp_abcdefghijklmnopqrstuvwxyz0123456789.",
      "Token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl, password=hunter22!",
      "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
    ].join("\n");
    const { text, risks, counts } = redactPii(input);
    expect(text).toBe(
      [
        "From [email], phone [phone] or [phone].",
        "Card [card], IBAN [iban].",
        "Key [api-key] and [api-key].",
        "Token [jwt], password=[secret]",
        "[private-key]",
      ].join("\n"),
    );
    expect(risks).toEqual([
      "email",
      "phone",
      "card",
      "iban",
      "api-key",
      "jwt",
      "private-key",
      "secret",
    ]);
    expect(counts).toMatchObject({ phone: 2, "api-key": 2, email: 1 });
  });

  it("leaves what the code map and an engineer need: frames, versions, dates, times, ids", () => {
    const input = [
      "TypeError: Cannot read properties of undefined (reading 'map')",
      "    at renderRows (src/components/ReportTable.tsx:42:17)",
      "Since v2.14.3 on 2026-11-30 at 09:41:07, order 1234567 and invoice INV-2026-00042 fail.",
      "Luhn-invalid 4111 1111 1111 1112 is a reference number, not a card.",
    ].join("\n");
    expect(redactPii(input)).toEqual({ text: input, risks: [], counts: {} });
  });

  it("validates IBANs and cards before redacting", () => {
    expect(ibanValid("DE89370400440532013000")).toBe(true);
    expect(ibanValid("DE89370400440532013001")).toBe(false);
    expect(luhnValid("4111111111111111")).toBe(true);
    expect(luhnValid("4111111111111112")).toBe(false);
    // a failing check digit is no IBAN (its digits may still hold a Luhn-valid run: see card)
    expect(redactPii("DE89 3704 0044 0532 0130 01").risks).not.toContain("iban");
  });

  it("property: redacting twice changes nothing", () => {
    fc.assert(
      fc.property(fc.oneof(adversarial, fc.string({ maxLength: 200 })), (input) => {
        const once = redactPii(input);
        const twice = redactPii(once.text);
        expect(twice.text).toBe(once.text);
        expect(twice.risks).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it("property: never leaves a Luhn-valid card number visible", () => {
    fc.assert(
      fc.property(adversarial, (input) => {
        expect(visibleCards(redactPii(input).text)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it("property: a card written whole, in fours with spaces or with dashes, inside prose, is removed", () => {
    fc.assert(
      fc.property(
        prose,
        cardArb,
        fc.constantFrom("", " ", "-"),
        prose,
        (before, card, sep, after) => {
          const written = formatted(card, sep);
          const { text, risks } = redactPii(`${before}${written}${after}`);
          expect(text).not.toContain(written);
          expect(text.replace(/\D/g, "")).not.toContain(card);
          expect(risks).toContain("card");
        },
      ),
      { numRuns: 1000 },
    );
  });
});
