import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { billingDetailsSchema } from "@/lib/billing/billing-details";
import { gstinCheckCharacter, gstinProblem, gstinSchema } from "@/lib/billing/gstin";

// Published GSTINs (GSTN's own example first) whose check characters are known.
const PUBLISHED = ["27AAPFU0939F1ZV", "29AAGCB7383J1Z4", "33AAACH7409R1Z8", "24AAACC1206D1ZM"];
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

describe("GSTIN validation", () => {
  it("accepts published GSTINs", () => {
    for (const gstin of PUBLISHED) expect(gstinProblem(gstin)).toBeNull();
  });

  it("computes their check characters", () => {
    for (const gstin of PUBLISHED) {
      expect(gstinCheckCharacter(gstin.slice(0, 14))).toBe(gstin.charAt(14));
    }
  });

  it("trims and upper-cases what a person typed", () => {
    expect(gstinSchema.parse(" 27aapfu0939f1zv ")).toBe("27AAPFU0939F1ZV");
  });

  it("refuses a wrong length, a missing Z, an entity number 0 and an unused state code", () => {
    expect(gstinProblem("27AAPFU0939F1Z")).toMatch(/15 characters/);
    expect(gstinProblem("27AAPFU0939F1XV")).toMatch(/15 characters/);
    expect(gstinProblem("27AAPFU0939F0ZV")).toMatch(/15 characters/);
    const state50 = `50AAPFU0939F1Z`;
    expect(gstinProblem(state50 + gstinCheckCharacter(state50))).toMatch(/state code/);
  });

  it("refuses a wrong check character with a hint at a typo", () => {
    expect(gstinProblem("27AAPFU0939F1ZW")).toMatch(/check character/);
    expect(gstinSchema.safeParse("27AAPFU0939F1ZW").success).toBe(false);
  });

  it("catches any single mistyped character of a valid GSTIN", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PUBLISHED),
        fc.integer({ min: 0, max: 14 }),
        fc.constantFrom(...ALPHABET),
        (gstin, position, replacement) => {
          fc.pre(gstin.charAt(position) !== replacement);
          const typo = gstin.slice(0, position) + replacement + gstin.slice(position + 1);
          expect(gstinProblem(typo)).not.toBeNull();
        },
      ),
    );
  });
});

describe("billing details form", () => {
  const valid = {
    contactName: "Asha Rao",
    contactEmail: " Billing@Acme.test ",
    country: "in",
    gstin: "27aapfu0939f1zv",
  };

  it("normalizes a valid Indian address with a GSTIN", () => {
    expect(billingDetailsSchema.parse(valid)).toEqual({
      contactName: "Asha Rao",
      contactEmail: "billing@acme.test",
      addressLine1: null,
      addressLine2: null,
      city: null,
      region: null,
      postalCode: null,
      country: "IN",
      gstin: "27AAPFU0939F1ZV",
    });
  });

  it("treats an empty GSTIN as none", () => {
    expect(billingDetailsSchema.parse({ ...valid, gstin: "  " }).gstin).toBeNull();
  });

  it("says which field is wrong", () => {
    const out = billingDetailsSchema.safeParse({ ...valid, gstin: "27AAPFU0939F1ZW" });
    expect(out.success).toBe(false);
    expect(out.error?.issues[0]?.path).toEqual(["gstin"]);
    expect(out.error?.issues[0]?.message).toMatch(/check character/);
  });

  it("refuses a GSTIN outside India", () => {
    const out = billingDetailsSchema.safeParse({ ...valid, country: "US" });
    expect(out.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["gstin", "A GSTIN applies to Indian billing addresses only"],
    ]);
  });

  it("refuses a missing name and a bad email", () => {
    const out = billingDetailsSchema.safeParse({ ...valid, contactName: " ", contactEmail: "x" });
    expect(out.error?.issues.map((i) => i.path.join(".")).sort()).toEqual([
      "contactEmail",
      "contactName",
    ]);
  });
});
