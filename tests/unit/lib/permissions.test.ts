import { describe, expect, it } from "vitest";
import {
  ACTIONS,
  allowedActions,
  can,
  canChangeRole,
  canLeave,
  canRemoveMember,
  invitableRoles,
  PERMISSIONS,
  ROLES,
} from "@/lib/auth/permissions";

describe("lib/auth/permissions", () => {
  it("gives roles a strictly nested set of actions (owner ⊇ admin ⊇ member ⊇ viewer)", () => {
    for (let i = 1; i < ROLES.length; i++) {
      const higher = new Set(allowedActions(ROLES[i - 1]));
      for (const action of allowedActions(ROLES[i])) expect(higher.has(action)).toBe(true);
      expect(higher.size).toBeGreaterThan(allowedActions(ROLES[i]).length);
    }
  });

  it("lets nobody without a role do anything", () => {
    for (const action of ACTIONS) expect(can(null, action)).toBe(false);
    expect(allowedActions(undefined)).toEqual([]);
  });

  it("matches the table", () => {
    expect(can("viewer", "organization.update")).toBe(false);
    expect(can("admin", "organization.update")).toBe(true);
    expect(can("admin", "organization.transfer")).toBe(false);
    expect(can("member", "members.invite")).toBe(false);
    expect(can("member", "bugs.write")).toBe(true);
    expect(can("viewer", "bugs.write")).toBe(false);
    expect(can("admin", "audit_log.read")).toBe(true);
    expect(can("member", "audit_log.read")).toBe(false);
    for (const roles of Object.values(PERMISSIONS)) expect(roles).toContain("owner");
  });

  it("keeps the owner role out of role changes and removals", () => {
    expect(canChangeRole("owner", "member", "admin")).toBe(true);
    expect(canChangeRole("admin", "viewer", "member")).toBe(true);
    expect(canChangeRole("owner", "admin", "owner")).toBe(false);
    expect(canChangeRole("admin", "owner", "admin")).toBe(false);
    expect(canChangeRole("member", "viewer", "member")).toBe(false);
    expect(canRemoveMember("admin", "member")).toBe(true);
    expect(canRemoveMember("admin", "owner")).toBe(false);
    expect(canRemoveMember("viewer", "viewer")).toBe(false);
    expect(canLeave("owner")).toBe(false);
    expect(canLeave("viewer")).toBe(true);
  });

  it("lets only the owner invite an owner", () => {
    expect(invitableRoles("owner")).toEqual(["owner", "admin", "member", "viewer"]);
    expect(invitableRoles("admin")).toEqual(["admin", "member", "viewer"]);
    expect(invitableRoles("member")).toEqual([]);
  });
});
