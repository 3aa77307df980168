/**
 * What the UI shows to each role. The database refuses anyway (RLS and the membership RPCs);
 * this only hides controls a role may not use.
 */
export const ROLES = ["owner", "admin", "member", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export type Capability =
  | "workspace.update"
  | "members.invite"
  | "members.change_role"
  | "members.remove"
  | "invitations.revoke"
  | "ownership.transfer"
  | "audit.read";

const TABLE: Record<Capability, readonly Role[]> = {
  "workspace.update": ["owner", "admin"],
  "members.invite": ["owner", "admin"],
  "members.change_role": ["owner", "admin"],
  "members.remove": ["owner", "admin"],
  "invitations.revoke": ["owner", "admin"],
  "ownership.transfer": ["owner"],
  "audit.read": ["owner", "admin"],
};

export function can(role: Role, capability: Capability): boolean {
  return TABLE[capability].includes(role);
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export const ROLE_LABELS: Record<Role, string> = {
  owner: "Owner",
  admin: "Admin",
  member: "Member",
  viewer: "Viewer",
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: "Everything, including billing and transferring ownership.",
  admin: "Manage members, invitations and workspace settings.",
  member: "Work with bugs, mappings and pull requests.",
  viewer: "Read-only access.",
};
