import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BillingWorld, buildBillingWorld } from "./helpers/billing-fixtures";
import { as, closeDb } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";

/**
 * RLS on public.billing_details: owners and admins read and keep the contact, address, country
 * and GSTIN (billing.read, billing.update); nobody deletes them; the GSTIN must have its format
 * and belongs to India only; updated_by comes from the session.
 */

let world: BillingWorld;
beforeAll(async () => {
  world = await buildBillingWorld("details");
});
afterAll(closeDb);
const w = () => world;

const OWNER_ADMIN_WRITE = {
  owner: "ok:1",
  admin: "ok:1",
  member: "ok:0",
  viewer: "ok:0",
  outsider: "ok:0",
  anonymous: "error:42501",
} as const;

describe("rls: billing_details", () => {
  describe("select", () => {
    matrix(
      w,
      "read workspace A's billing details",
      (x) => ({
        text: "select contact_email, gstin from public.billing_details where organization_id = $1",
        params: [x.orgA.id],
      }),
      OWNER_ADMIN_WRITE,
    );
  });

  describe("insert", () => {
    matrix(
      w,
      "save workspace A's billing details (upsert)",
      (x) => ({
        text: `insert into public.billing_details (organization_id, contact_name, contact_email, country)
               values ($1, 'Ravi', 'ravi@acme.test', 'IN')
               on conflict (organization_id) do update
                 set contact_name = excluded.contact_name, contact_email = excluded.contact_email`,
        params: [x.orgA.id],
      }),
      {
        owner: "ok:1",
        admin: "ok:1",
        member: "error:42501",
        viewer: "error:42501",
        outsider: "error:42501",
        anonymous: "error:42501",
      },
    );
  });

  describe("update", () => {
    matrix(
      w,
      "change workspace A's GSTIN",
      (x) => ({
        text: "update public.billing_details set gstin = '29AAGCB7383J1Z4' where organization_id = $1",
        params: [x.orgA.id],
      }),
      OWNER_ADMIN_WRITE,
    );
    matrix(
      w,
      "set a malformed GSTIN",
      (x) => ({
        text: "update public.billing_details set gstin = '27AAPFU0939F1X' where organization_id = $1",
        params: [x.orgA.id],
      }),
      { ...OWNER_ADMIN_WRITE, owner: "error:23514", admin: "error:23514" },
    );
    matrix(
      w,
      "move the workspace abroad keeping the GSTIN",
      (x) => ({
        text: "update public.billing_details set country = 'US' where organization_id = $1",
        params: [x.orgA.id],
      }),
      { ...OWNER_ADMIN_WRITE, owner: "error:23514", admin: "error:23514" },
    );
    matrix(
      w,
      "claim to be someone else",
      (x) => ({
        text: "update public.billing_details set updated_by = $2 where organization_id = $1",
        params: [x.orgA.id, x.users.viewer.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "delete workspace A's billing details",
      (x) => ({
        text: "delete from public.billing_details where organization_id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("invariants", () => {
    it("records who changed the details", async () => {
      const out = await as<{ updated_by: string }>(
        world.users.admin,
        "update public.billing_details set city = 'Pune' where organization_id = $1 returning updated_by",
        [world.orgA.id],
        { rollback: true },
      );
      expect(out.ok && out.rows[0]?.updated_by).toBe(world.users.admin.id);
    });
  });
});
