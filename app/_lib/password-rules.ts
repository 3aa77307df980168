/**
 * The password policy, shown to the user before they submit and checked again by the server
 * action (the auth server has the last word and answers `weak_password` with reasons).
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 72;

export interface PasswordRule {
  id: string;
  label: string;
  test: (password: string) => boolean;
}

export const PASSWORD_RULES: readonly PasswordRule[] = [
  {
    id: "length",
    label: `At least ${PASSWORD_MIN_LENGTH} characters`,
    test: (p) => p.length >= PASSWORD_MIN_LENGTH,
  },
  {
    id: "letters",
    label: "Upper- and lower-case letters",
    test: (p) => /[a-z]/.test(p) && /[A-Z]/.test(p),
  },
  { id: "digit", label: "At least one number", test: (p) => /[0-9]/.test(p) },
  {
    id: "symbol",
    label: "At least one symbol (e.g. ! ? # %)",
    test: (p) => /[^A-Za-z0-9]/.test(p),
  },
];

/** The labels of the rules a password breaks (empty when it passes them all). */
export function brokenPasswordRules(password: string): string[] {
  const broken = PASSWORD_RULES.filter((r) => !r.test(password)).map((r) => r.label);
  if (password.length > PASSWORD_MAX_LENGTH) {
    broken.push(`At most ${PASSWORD_MAX_LENGTH} characters`);
  }
  return broken;
}

/** Turns the auth server's `weak_password.reasons` codes into sentences a person understands. */
export function describeWeakPasswordReasons(reasons: readonly string[] | undefined): string[] {
  const text: Record<string, string> = {
    length: `Use at least ${PASSWORD_MIN_LENGTH} characters.`,
    characters: "Mix upper- and lower-case letters, numbers and symbols.",
    pwned: "This password appears in known data breaches. Choose another one.",
    common: "This password is too common. Choose something less guessable.",
  };
  const out = (reasons ?? []).map((r) => text[r] ?? `Password rejected: ${r}.`);
  return out.length > 0 ? out : ["This password is too weak. Choose a stronger one."];
}
