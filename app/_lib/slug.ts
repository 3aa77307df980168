import { z } from "zod";

/** First-level paths the app itself uses; a workspace may not take them as its slug. */
export const RESERVED_SLUGS = new Set([
  "account",
  "api",
  "app",
  "auth",
  "admin",
  "check-email",
  "dashboard",
  "forgot-password",
  "invite",
  "login",
  "logout",
  "mfa",
  "new",
  "onboarding",
  "reset-password",
  "settings",
  "sign-in",
  "sign-out",
  "sign-up",
  "signin",
  "signup",
  "static",
  "support",
  "www",
  "_next",
]);

export const SLUG_MIN = 3;
export const SLUG_MAX = 40;

/** `Acme, Inc.` → `acme-inc`: lower case, ASCII letters, digits and single hyphens. */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, SLUG_MAX)
    .replace(/-+$/g, "");
}

export const slugSchema = z
  .string()
  .trim()
  .min(SLUG_MIN, `Use at least ${SLUG_MIN} characters.`)
  .max(SLUG_MAX, `Use at most ${SLUG_MAX} characters.`)
  .regex(
    /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
    "Use lower-case letters, numbers and single hyphens (not at the start or end).",
  )
  .refine((s) => !RESERVED_SLUGS.has(s), "This address is reserved. Choose another one.");

export const workspaceNameSchema = z
  .string()
  .trim()
  .min(2, "Use at least 2 characters.")
  .max(64, "Use at most 64 characters.");

/** Alternatives to offer when a slug is taken or reserved, best first, all valid. */
export function slugSuggestions(base: string, taken: ReadonlySet<string> = new Set()): string[] {
  const root = slugify(base) || "workspace";
  const candidates = [root, `${root}-team`, `${root}-hq`, `${root}-app`];
  for (let n = 2; candidates.length < 12; n++) candidates.push(`${root}-${n}`);
  return candidates
    .map((c) => c.slice(0, SLUG_MAX).replace(/-+$/g, ""))
    .filter((c) => slugSchema.safeParse(c).success && !taken.has(c))
    .slice(0, 3);
}
