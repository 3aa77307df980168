import { isCommonPassword } from "./common-passwords";
import { badRequest, WeakPasswordError } from "./errors";

/** bcrypt only reads 72 bytes; GoTrue refuses longer passwords. */
export const MAX_PASSWORD_LENGTH = 72;

export interface PasswordPolicy {
  minLength: number;
  /** Character sets of which the password must contain one each (GoTrue's `password_requirements`). */
  requiredCharacters: string[];
  /** Stand-in for GoTrue's HaveIBeenPwned check: the bundled common-password list. */
  rejectCommon: boolean;
}

/** GoTrue's presets for `password_requirements`, for callers that want one. */
export const CHARACTER_SETS = {
  lowerUpperDigits: ["abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789"],
  lowerUpperDigitsSymbols: [
    "abcdefghijklmnopqrstuvwxyz",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "0123456789",
    "!@#$%^&*()_+-=[]{};'\\:\"|<>?,./`~",
  ],
} as const;

/**
 * The character sets of config.toml's `password_requirements`, as the CLI hands them to GoTrue
 * (`GOTRUE_PASSWORD_REQUIRED_CHARACTERS`, sets separated by ":").
 */
export function requiredCharactersOf(requirements: string): string[] {
  const lower = "abcdefghijklmnopqrstuvwxyz";
  const upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const digits = "0123456789";
  switch (requirements) {
    case "letters_digits":
      return [lower + upper, digits];
    case "lower_upper_letters_digits":
      return [lower, upper, digits];
    case "lower_upper_letters_digits_symbols":
      return [...CHARACTER_SETS.lowerUpperDigitsSymbols];
    default:
      return [];
  }
}

/** A trivially guessable run: one repeated character, or an ascending/descending sequence. */
function isTrivialRun(password: string): boolean {
  if (password.length < 4) return false;
  if (/^(.)\1+$/.test(password)) return true;
  const codes = [...password].map((c) => c.charCodeAt(0));
  const step = (codes[1] ?? 0) - (codes[0] ?? 0);
  if (Math.abs(step) !== 1) return false;
  return codes.every((c, i) => i === 0 || c - (codes[i - 1] ?? 0) === step);
}

/**
 * GoTrue's `checkPasswordStrength`: longer than 72 bytes is a 400 `validation_failed`; otherwise
 * every failed rule adds a reason ("length", "characters", "pwned") and its sentence, and any
 * reason makes a `WeakPasswordError` (422 `weak_password`). Lengths count bytes, as Go's len() does.
 */
export function checkPasswordStrength(password: string, policy: PasswordPolicy): void {
  const bytes = Buffer.byteLength(password, "utf8");
  if (bytes > MAX_PASSWORD_LENGTH) {
    throw badRequest(
      "validation_failed",
      `Password cannot be longer than ${MAX_PASSWORD_LENGTH} characters`,
    );
  }
  const reasons: string[] = [];
  const messages: string[] = [];
  if (bytes < policy.minLength) {
    reasons.push("length");
    messages.push(`Password should be at least ${policy.minLength} characters.`);
  }
  for (const set of policy.requiredCharacters) {
    if (set !== "" && ![...set].some((c) => password.includes(c))) {
      reasons.push("characters");
      messages.push(
        `Password should contain at least one character of each: ${policy.requiredCharacters.join(", ")}.`,
      );
      break;
    }
  }
  if (policy.rejectCommon && (isCommonPassword(password) || isTrivialRun(password))) {
    reasons.push("pwned");
    messages.push("Password is known to be weak and easy to guess, please choose a different one.");
  }
  if (reasons.length > 0) throw new WeakPasswordError(messages.join(" "), reasons);
}
