/**
 * Turns an audit-log row into a sentence for people. Unknown actions fall back to the raw
 * action name, so a new event type shows up before it gets its own wording.
 */
export interface AuditRow {
  action: string;
  actor_email: string | null;
  target_type: string | null;
  target_id: string | null;
  metadata: unknown;
}

/** Who a row's target user is, when they are still a member (else the sentence stays generic). */
export type TargetName = (userId: string) => string | undefined;

type Meta = Record<string, unknown>;

function str(meta: Meta, key: string): string | undefined {
  const v = meta[key];
  return typeof v === "string" || typeof v === "number" ? String(v) : undefined;
}

const LABELS: Record<string, (m: Meta, target?: string) => string> = {
  "organization.created": (m) =>
    `Created the workspace${str(m, "name") ? ` “${str(m, "name")}”` : ""}`,
  "organization.renamed": (m) =>
    `Renamed the workspace from “${str(m, "from") ?? "?"}” to “${str(m, "to") ?? "?"}”`,
  "organization.ownership_transferred": (_m, t) =>
    t ? `Transferred ownership to ${t}` : "Transferred ownership",
  "invitation.created": (m) =>
    `Invited ${str(m, "email") ?? "someone"} as ${str(m, "role") ?? "member"}`,
  "invitation.revoked": (m) => `Revoked the invitation for ${str(m, "email") ?? "someone"}`,
  "invitation.accepted": (m) => `Accepted an invitation as ${str(m, "role") ?? "member"}`,
  "member.added": (m) => `Joined as ${str(m, "role") ?? "member"}`,
  "member.removed": (m, t) => `Removed ${t ?? "a member"} (${str(m, "role") ?? "member"})`,
  "member.left": () => "Left the workspace",
  "member.role_changed": (m, t) =>
    `Changed ${t ? `${t}’s` : "a member’s"} role from ${str(m, "from") ?? "?"} to ${str(m, "to") ?? "?"}`,
  "auth.sign_in": (m) =>
    str(m, "method") === "email_link" ? "Signed in from an email link" : "Signed in",
  "auth.oauth_sign_in": () => "Signed in with GitHub or Google",
  "auth.sign_in_failed": () => "Failed sign-in attempt",
  "auth.sign_in_locked": () => "Sign-in locked after repeated failures",
  "auth.sign_out": () => "Signed out",
  "auth.sign_up": () => "Created their account",
  "auth.password_reset_requested": () => "Asked for a password reset link",
  "auth.password_changed": () => "Changed their password",
  "auth.mfa_enrolled": () => "Turned on two-factor authentication",
  "auth.mfa_verified": () => "Passed a two-factor challenge",
  "auth.mfa_challenge_failed": () => "Failed a two-factor challenge",
  "auth.mfa_removed": () => "Removed a two-factor authenticator",
  "integration.connected": (m) =>
    `Connected ${provider(m)}${str(m, "account") ? ` (${str(m, "account")})` : ""}`,
  "integration.disconnected": (m) =>
    m.uninstalled_on_github === true
      ? `${provider(m)} was disconnected: the App was uninstalled on GitHub`
      : `Disconnected ${provider(m)}`,
  "integration.permissions_accepted": (m) =>
    `Accepted new ${provider(m)} App permissions on GitHub`,
  "integration.oauth_refused": (m) =>
    `Refused a ${provider(m)} connection link (${(str(m, "reason") ?? "invalid").replaceAll("_", " ")})`,
  "integration.refresh_refused": (m) => `${provider(m)} refused to renew access`,
  "pipeline.gates_changed": (m) =>
    `Changed the pipeline gates: extraction ${gateChange(m, "extraction")}, mapping ${gateChange(m, "mapping")}`,
  "secrets.rotated": (m) =>
    `Re-encrypted ${str(m, "rotated") ?? "0"} secrets with a new key${str(m, "failed") && str(m, "failed") !== "0" ? ` (${str(m, "failed")} failed)` : ""}`,
};

const PROVIDERS: Record<string, string> = {
  zendesk: "Zendesk",
  intercom: "Intercom",
  github: "GitHub",
};

/** "0.70 → 0.80", or "0.80" when unchanged or first set. */
function gateChange(meta: Meta, gate: "extraction" | "mapping"): string {
  const from = str(meta, `${gate}_from`);
  const to = str(meta, `${gate}_to`) ?? "?";
  return from && from !== to ? `${from} → ${to}` : to;
}

function provider(meta: Meta): string {
  const name = str(meta, "provider");
  return (name && PROVIDERS[name]) ?? "an integration";
}

export type AuditCategory = "auth" | "members" | "workspace" | "admin" | "other";

export function auditCategory(action: string): AuditCategory {
  if (action.startsWith("auth.")) return "auth";
  if (action.startsWith("member.") || action.startsWith("invitation.")) return "members";
  if (action.startsWith("organization.") || action.startsWith("pipeline.")) return "workspace";
  if (action.startsWith("admin")) return "admin";
  return "other";
}

export function describeAudit(row: AuditRow, targetName?: TargetName): string {
  const meta: Meta =
    row.metadata && typeof row.metadata === "object" && !Array.isArray(row.metadata)
      ? (row.metadata as Meta)
      : {};
  const target =
    row.target_type === "user" && row.target_id ? targetName?.(row.target_id) : undefined;
  const label = LABELS[row.action];
  if (label) return label(meta, target);
  if (row.action.startsWith("admin")) {
    const reason = str(meta, "reason");
    return reason ? `Privileged server access: ${reason}` : "Privileged server access";
  }
  return row.action;
}
