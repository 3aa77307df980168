/** The auth server's minimum (devstack and hosted Supabase are configured the same). */
export const PASSWORD_MIN_LENGTH = 12;
/** bcrypt reads 72 bytes; the auth server refuses longer passwords. */
export const PASSWORD_MAX_BYTES = 72;

/**
 * The one list of password rules, as the sign-up and reset forms show them before anyone submits. The ones
 * the browser can check tick off as the person types; "common or breached" is the auth
 * server's call and comes back as `weak_password` reasons.
 */
export interface PasswordRule {
  id: "length" | "common";
  label: string;
  /** null: only the server can tell. */
  test: ((password: string) => boolean) | null;
}

export const PASSWORD_RULES: readonly PasswordRule[] = [
  {
    id: "length",
    label: `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_BYTES} characters`,
    test: (p) =>
      p.length >= PASSWORD_MIN_LENGTH && new TextEncoder().encode(p).length <= PASSWORD_MAX_BYTES,
  },
  {
    id: "common",
    label: "Not a common or easily guessed password (like password123); checked when you submit",
    test: null,
  },
];

/** Turns the auth server's `weak_password.reasons` codes into sentences a person understands. */
export function describeWeakPasswordReasons(reasons: readonly string[] | undefined): string[] {
  const text: Record<string, string> = {
    length: `Use at least ${PASSWORD_MIN_LENGTH} characters.`,
    characters: "Mix upper- and lower-case letters, numbers and symbols.",
    pwned: "This password appears in known data breaches. Choose another one.",
    common: "This password is too common. Choose something less guessable.",
  };
  const out = (reasons ?? []).map((r) => text[r] ?? `Password rejected (${r}).`);
  return out.length > 0 ? out : ["This password is too weak. Choose a stronger one."];
}
