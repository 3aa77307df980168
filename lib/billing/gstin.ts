import { z } from "zod";

/**
 * GSTIN, India's GST registration number: 15 characters, a 2-digit state code, the holder's PAN
 * (5 letters, 4 digits, 1 letter), an entity number (1-9, A-Z), the letter Z, and a check
 * character computed over the first 14 (base-36 Luhn-style, weights 1 and 2). Validated by format
 * and check character only: whether it is registered is the GST portal's to say.
 */

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const FORMAT = /^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/;

/** The check character of the first 14 characters of a GSTIN. */
export function gstinCheckCharacter(first14: string): string {
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    const value = ALPHABET.indexOf(first14.charAt(i));
    if (value < 0) throw new RangeError("GSTIN characters are 0-9 and A-Z");
    const weighted = value * (i % 2 === 0 ? 1 : 2);
    sum += Math.floor(weighted / 36) + (weighted % 36);
  }
  return ALPHABET.charAt((36 - (sum % 36)) % 36);
}

/** State codes in use: 01-38 (states and union territories), 97 (other territory), 99 (centre). */
function knownStateCode(code: number): boolean {
  return (code >= 1 && code <= 38) || code === 97 || code === 99;
}

/** Why `value` (already trimmed and upper-cased) is not a GSTIN, or null when it is one. */
export function gstinProblem(value: string): string | null {
  if (!FORMAT.test(value)) {
    return "A GSTIN is 15 characters: state code, PAN, entity number, Z and a check character";
  }
  if (!knownStateCode(Number(value.slice(0, 2)))) return "The GSTIN's state code is not in use";
  if (gstinCheckCharacter(value.slice(0, 14)) !== value.charAt(14)) {
    return "The GSTIN's check character does not match; check for a typo";
  }
  return null;
}

/** A GSTIN as typed in a form: spaces trimmed, upper-cased, then checked. */
export const gstinSchema = z
  .string()
  .trim()
  .toUpperCase()
  .superRefine((value, ctx) => {
    const problem = gstinProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
