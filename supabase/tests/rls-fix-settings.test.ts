import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { as, asSuperuser, closeDb } from "./helpers/db";
import { buildFixWorld, type FixWorld } from "./helpers/fix-fixtures";
import { everyone, matrix } from "./helpers/matrix";

/**
 * RLS on public.fix_settings: members read the workspace's fix settings (bugs.read); owners and
 * admins set them (organization.update); nobody deletes them (a missing row means the defaults).
 */

let world: FixWorld;
beforeAll(async () => {
  world = await buildFixWorld("fixset");
});
afterAll(closeDb);
const w = () => world;

describe("rls: fix_settings", () => {
  describe("select", () => {
    matrix(
      w,
      "read workspace A's fix settings",
      (x) => ({
        text: "select auto_fix_threshold, rca_approval_required from public.fix_settings where organization_id = $1",
        params: [x.orgA.id],
      }),
      {
        owner: "ok:1",
        admin: "ok:1",
        member: "ok:1",
        viewer: "ok:1",
        outsider: "ok:0",
        anonymous: "error:42501",
      },
    );
  });

  describe("insert", () => {
    matrix(
      w,
      "save workspace A's fix settings (upsert)",
      (x) => ({
        text: `insert into public.fix_settings (organization_id, rca_approval_required, rca_min_cluster_size)
               values ($1, false, 5)
               on conflict (organization_id) do update
                 set rca_approval_required = excluded.rca_approval_required,
                     rca_min_cluster_size = excluded.rca_min_cluster_size`,
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
      "turn RCA approval off",
      (x) => ({
        text: "update public.fix_settings set rca_approval_required = false where organization_id = $1",
        params: [x.orgA.id],
      }),
      {
        owner: "ok:1",
        admin: "ok:1",
        member: "ok:0",
        viewer: "ok:0",
        outsider: "ok:0",
        anonymous: "error:42501",
      },
    );
    matrix(
      w,
      "set an auto-fix threshold outside [0, 1]",
      (x) => ({
        text: "update public.fix_settings set auto_fix_threshold = 1.5 where organization_id = $1",
        params: [x.orgA.id],
      }),
      {
        owner: "error:23514",
        admin: "error:23514",
        member: "ok:0",
        viewer: "ok:0",
        outsider: "ok:0",
        anonymous: "error:42501",
      },
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "delete the fix settings",
      (x) => ({
        text: "delete from public.fix_settings where organization_id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("invariants", () => {
    it("defaults to approval required, cluster of 3, and records who changed them", async () => {
      const [defaults] = await asSuperuser<{
        rca_approval_required: boolean;
        rca_min_cluster_size: number;
      }>(
        "select rca_approval_required, rca_min_cluster_size from public.fix_settings where organization_id = $1",
        [world.orgA.id],
      );
      expect(defaults).toEqual({ rca_approval_required: true, rca_min_cluster_size: 3 });
      const out = await as<{ updated_by: string }>(
        world.users.owner,
        "update public.fix_settings set review_rounds_max = 2 where organization_id = $1 returning updated_by",
        [world.orgA.id],
        { rollback: true },
      );
      expect(out.ok && out.rows[0]?.updated_by).toBe(world.users.owner.id);
    });
  });
});
