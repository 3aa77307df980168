import { z } from "zod";
import { PASSWORD_MAX_BYTES, PASSWORD_MIN_LENGTH } from "./password-rules";
import { ROLES } from "./permissions";

export { PASSWORD_MAX_BYTES, PASSWORD_MIN_LENGTH };

/**
 * Input schemas shared by forms, guards and tests. The database checks the same rules again
 * (constraints and RPCs); these give the person a clear message first.
 */

/** Mirrors the slug check constraint on public.organizations. */
export const RESERVED_SLUGS = [
  "account",
  "admin",
  "api",
  "app",
  "auth",
  "billing",
  "callback",
  "confirm",
  "dashboard",
  "docs",
  "forgot-password",
  "help",
  "invitations",
  "invite",
  "invites",
  "login",
  "logout",
  "mfa",
  "new",
  "onboarding",
  "organizations",
  "reset-password",
  "security",
  "settings",
  "sign-in",
  "sign-out",
  "sign-up",
  "signin",
  "signout",
  "signup",
  "static",
  "status",
  "support",
  "verify",
  "well-known",
  "workspaces",
  "www",
] as const;

export const emailSchema = z
  .string({ error: "Enter your email address" })
  .trim()
  .toLowerCase()
  .min(1, "Enter your email address")
  .max(320, "That email address is too long")
  .pipe(z.email("Enter a valid email address"));

export const passwordSchema = z
  .string({ error: "Enter a password" })
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
  .refine(
    (password) => new TextEncoder().encode(password).length <= PASSWORD_MAX_BYTES,
    `Use at most ${PASSWORD_MAX_BYTES} characters`,
  );

export const organizationNameSchema = z
  .string({ error: "Enter a name" })
  .trim()
  .min(1, "Enter a name")
  .max(80, "Use at most 80 characters");

export const organizationSlugSchema = z
  .string({ error: "Enter a URL" })
  .trim()
  .toLowerCase()
  .min(3, "Use at least 3 characters")
  .max(40, "Use at most 40 characters")
  .regex(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/, "Use lowercase letters, digits and dashes")
  .refine((slug) => !slug.includes("--"), "Do not use two dashes in a row")
  .refine(
    (slug) => !(RESERVED_SLUGS as readonly string[]).includes(slug),
    "That URL is reserved; pick another",
  );

/** Suggests a slug from a workspace name ("Acme Corp" → "acme-corp"). */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
}

export const roleSchema = z.enum(ROLES, { error: "Pick a role" });

export const uuidSchema = z.uuid("Invalid id");

export const createOrganizationInput = z.object({
  name: organizationNameSchema,
  slug: organizationSlugSchema,
});

export const renameOrganizationInput = z.object({ name: organizationNameSchema });

export const inviteMemberInput = z.object({ email: emailSchema, role: roleSchema });

export const changeMemberRoleInput = z.object({
  userId: uuidSchema,
  role: z.enum(["admin", "member", "viewer"], { error: "Pick admin, member or viewer" }),
});

export const memberInput = z.object({ userId: uuidSchema });

export const revokeInvitationInput = z.object({ invitationId: uuidSchema });

export const invitationTokenSchema = z
  .string()
  .trim()
  .regex(/^[0-9a-f]{64}$/, "This invite link is not valid");

export const acceptInvitationInput = z.object({ token: invitationTokenSchema });
