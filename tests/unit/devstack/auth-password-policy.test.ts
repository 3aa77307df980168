import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AuthError, WeakPasswordError } from "@/devstack/auth/errors";
import {
  CHARACTER_SETS,
  checkPasswordStrength,
  type PasswordPolicy,
} from "@/devstack/auth/password-policy";

const policy: PasswordPolicy = { minLength: 12, requiredCharacters: [], rejectCommon: true };

function reasons(password: string, p: PasswordPolicy = policy): string[] {
  try {
    checkPasswordStrength(password, p);
    return [];
  } catch (err) {
    if (err instanceof WeakPasswordError) return err.reasons;
    throw err;
  }
}

describe("checkPasswordStrength", () => {
  it("accepts a long uncommon passphrase", () => {
    expect(reasons("correct-Horse-battery-42")).toEqual([]);
  });

  it("gives GoTrue's length reason and sentence", () => {
    try {
      checkPasswordStrength("abc", policy);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(WeakPasswordError);
      expect((err as WeakPasswordError).message).toBe("Password should be at least 12 characters.");
    }
  });

  it("flags common passwords (case-insensitively) and trivial runs as pwned", () => {
    expect(reasons("Password1234")).toEqual(["pwned"]);
    expect(reasons("qwertyuiop123")).toEqual(["pwned"]);
    expect(reasons("aaaaaaaaaaaaaa")).toEqual(["pwned"]);
    expect(reasons("123456789012")).toEqual(["pwned"]);
    expect(reasons("password")).toEqual(["length", "pwned"]);
  });

  it("checks required character sets like GoTrue's password_requirements", () => {
    const strict = { ...policy, requiredCharacters: [...CHARACTER_SETS.lowerUpperDigits] };
    expect(reasons("all-lower-case-words", strict)).toEqual(["characters"]);
    expect(reasons("Mixed-Case-words-9", strict)).toEqual([]);
  });

  it("counts bytes like Go's len() and refuses more than 72 with validation_failed", () => {
    expect(reasons("éàüöçñß")).toEqual([]); // 7 characters, 14 bytes
    try {
      checkPasswordStrength("x".repeat(73), policy);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AuthError);
      expect((err as AuthError).code).toBe("validation_failed");
    }
  });

  it("never accepts a password shorter than the minimum (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 11, unit: "grapheme-ascii" }), (pw) => {
        expect(reasons(pw)).toContain("length");
      }),
    );
  });
});
