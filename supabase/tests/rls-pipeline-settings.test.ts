import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { as, closeDb } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";
import { buildPipelineWorld, type PipelineWorld } from "./helpers/pipeline-fixtures";

/**
 * RLS on public.pipeline_settings: members read the workspace's gates (bugs.read); owners and
 * admins set them (organization.update); nobody deletes them (a missing row means the defaults,
 * `DEFAULT_GATES`).
 */

let world: PipelineWorld;
beforeAll(async () => {
  world = await buildPipelineWorld("gates");
});
afterAll(closeDb);
const w = () => world;

describe("rls: pipeline_settings", () => {
  describe("select", () => {
    matrix(
      w,
      "read workspace A's gates",
      (x) => ({
        text: "select extraction_threshold, mapping_threshold from public.pipeline_settings where organization_id = $1",
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
      "save workspace A's gates (upsert)",
      (x) => ({
        text: `insert into public.pipeline_settings (organization_id, extraction_threshold, mapping_threshold)
               values ($1, 0.6, 0.8)
               on conflict (organization_id) do update
                 set extraction_threshold = excluded.extraction_threshold,
                     mapping_threshold = excluded.mapping_threshold`,
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
      "lower workspace A's mapping gate",
      (x) => ({
        text: "update public.pipeline_settings set mapping_threshold = 0.5 where organization_id = $1",
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
      "set a gate outside [0, 1]",
      (x) => ({
        text: "update public.pipeline_settings set mapping_threshold = 1.5 where organization_id = $1",
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
      "delete the gates",
      (x) => ({
        text: "delete from public.pipeline_settings where organization_id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("invariants", () => {
    it("records who changed the gates", async () => {
      const out = await as<{ updated_by: string }>(
        world.users.admin,
        "update public.pipeline_settings set extraction_threshold = 0.75 where organization_id = $1 returning updated_by",
        [world.orgA.id],
        { rollback: true },
      );
      expect(out.ok && out.rows[0]?.updated_by).toBe(world.users.admin.id);
    });
  });
});
