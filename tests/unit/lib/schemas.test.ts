import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createOrganizationInput,
  emailSchema,
  inviteMemberInput,
  organizationSlugSchema,
  RESERVED_SLUGS,
  slugify,
} from "@/lib/auth/schemas";

describe("lib/auth/schemas", () => {
  it("normalises emails and rejects junk", () => {
    expect(emailSchema.parse("  Bob@Example.COM ")).toBe("bob@example.com");
    expect(emailSchema.safeParse("bob").success).toBe(false);
    expect(emailSchema.safeParse("").success).toBe(false);
  });

  it("accepts good slugs and refuses reserved, malformed or double-dashed ones", () => {
    expect(organizationSlugSchema.parse("Acme-Corp")).toBe("acme-corp");
    for (const bad of [
      "ab",
      "-acme",
      "acme-",
      "ac--me",
      "ac me",
      "a".repeat(41),
      ...RESERVED_SLUGS,
    ]) {
      expect(organizationSlugSchema.safeParse(bad).success, bad).toBe(false);
    }
  });

  it("slugify yields a valid slug for any name with enough letters", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 80 }), (name) => {
        const slug = slugify(name);
        if (slug.length >= 3 && !(RESERVED_SLUGS as readonly string[]).includes(slug)) {
          expect(organizationSlugSchema.safeParse(slug).success).toBe(true);
        }
        expect(slug).toMatch(/^[a-z0-9-]*$/);
      }),
      { numRuns: 1000 },
    );
    expect(slugify("Ácme Corp!")).toBe("acme-corp");
  });

  it("parses the workspace and invite forms", () => {
    expect(createOrganizationInput.parse({ name: " Acme ", slug: "acme" })).toEqual({
      name: "Acme",
      slug: "acme",
    });
    expect(inviteMemberInput.safeParse({ email: "a@b.co", role: "boss" }).success).toBe(false);
  });
});
