/**
 * What each workspace role may do: ONE table, used by the UI (to hide what a role may not do),
 * by the guards (to refuse it anyway) and mirrored row for row by `private.role_permissions` in
 * the database, which the RLS policies and RPCs consult. A test fails when the two differ.
 */

export const ROLES = ["owner", "admin", "member", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  /** See the workspace, its settings and its members. */
  "organization.read": ["owner", "admin", "member", "viewer"],
  /** Rename the workspace, change its settings. */
  "organization.update": ["owner", "admin"],
  /** Hand the owner role to another member (the owner becomes an admin). */
  "organization.transfer": ["owner"],
  "members.read": ["owner", "admin", "member", "viewer"],
  /** Invite people (as admin, member or viewer; only the owner can invite an owner). */
  "members.invite": ["owner", "admin"],
  /** Change the role of a non-owner member. */
  "members.update_role": ["owner", "admin"],
  /** Remove a non-owner member (anyone but the owner may leave on their own). */
  "members.remove": ["owner", "admin"],
  "invitations.read": ["owner", "admin"],
  "invitations.revoke": ["owner", "admin"],
  "audit_log.read": ["owner", "admin"],
  /** Pipeline data (bugs, mappings, RCAs). */
  "bugs.read": ["owner", "admin", "member", "viewer"],
  "bugs.write": ["owner", "admin", "member"],
  /** Flag a bug's location as mismapped, with a reason (earns a credit within 7 days). */
  "bugs.flag_mismapped": ["owner", "admin", "member", "viewer"],
  /** Approve a customer RCA for publishing (members edit drafts; viewers read). */
  "rcas.approve": ["owner", "admin"],
  /** Connect Zendesk/Intercom/GitHub, rotate their secrets. */
  "integrations.manage": ["owner", "admin"],
  /** See the plan, usage, invoices, credits and billing details. */
  "billing.read": ["owner", "admin"],
  /** Keep the billing details (contact, address, country, GSTIN). */
  "billing.update": ["owner", "admin"],
  /** Subscribe, change plan, cancel, set the overage cap (it authorizes spending). */
  "billing.manage": ["owner"],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof PERMISSIONS;
export const ACTIONS = Object.keys(PERMISSIONS) as Action[];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Whether `role` may perform `action`. A missing role (not a member) may do nothing. */
export function can(role: Role | null | undefined, action: Action): boolean {
  if (!role) return false;
  return (PERMISSIONS[action] as readonly Role[]).includes(role);
}

/** Every action a role may perform (for the UI). */
export function allowedActions(role: Role | null | undefined): Action[] {
  return ACTIONS.filter((action) => can(role, action));
}

/** The roles an actor may hand out by invitation. */
export function invitableRoles(actor: Role | null | undefined): Role[] {
  if (!can(actor, "members.invite")) return [];
  return can(actor, "organization.transfer") ? [...ROLES] : ["admin", "member", "viewer"];
}

/**
 * Whether `actor` may change a member from `from` to `to`. The owner role is never set or taken
 * this way (use transfer of ownership), mirroring `public.change_member_role`.
 */
export function canChangeRole(actor: Role | null | undefined, from: Role, to: Role): boolean {
  if (!can(actor, "members.update_role")) return false;
  return from !== "owner" && to !== "owner";
}

/** Whether `actor` may remove a member with role `target` (self-removal is `canLeave`). */
export function canRemoveMember(actor: Role | null | undefined, target: Role): boolean {
  return can(actor, "members.remove") && target !== "owner";
}

/** Everyone but the owner may leave a workspace; the owner must transfer ownership first. */
export function canLeave(role: Role | null | undefined): boolean {
  return !!role && role !== "owner";
}

/** Human labels for the UI. */
export const ROLE_LABELS: Record<Role, string> = {
  owner: "Owner",
  admin: "Admin",
  member: "Member",
  viewer: "Viewer",
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: "Everything, including billing and transferring ownership. Exactly one per workspace.",
  admin: "Manage members, invitations, integrations and settings; read the audit log.",
  member: "Read and correct bugs, review pull requests and RCAs.",
  viewer: "Read-only access to the workspace.",
};
