import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asSuperuser, closeDb } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";
import { buildPipelineWorld, type PipelineWorld } from "./helpers/pipeline-fixtures";

/**
 * RLS on public.code_indexes: members (bugs.read) see each repository's index status, progress,
 * commit and counts, never the serialized index (column grant); the indexing job writes (service
 * role).
 */

let world: PipelineWorld;
beforeAll(async () => {
  world = await buildPipelineWorld("codeidx");
});
afterAll(closeDb);
const w = () => world;

describe("rls: code_indexes", () => {
  describe("select", () => {
    matrix(
      w,
      "read workspace A's index status",
      (x) => ({
        text: `select status, commit_sha, files_done, files_total, languages, files_count,
                      functions_count, last_error from public.code_indexes where organization_id = $1`,
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
    matrix(
      w,
      "read the serialized index",
      (x) => ({
        text: "select index_data from public.code_indexes where id = $1",
        params: [x.a.codeIndexId],
      }),
      everyone("error:42501"),
    );
  });

  describe("insert", () => {
    matrix(
      w,
      "create an index directly",
      (x) => ({
        text: `insert into public.code_indexes (organization_id, repository_id, repository_full_name)
               values ($1, $2, 'a/b')`,
        params: [x.orgA.id, x.a.repositoryId],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "change an index's status directly",
      (x) => ({
        text: "update public.code_indexes set status = 'error' where id = $1",
        params: [x.a.codeIndexId],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "delete an index directly",
      (x) => ({ text: "delete from public.code_indexes where id = $1", params: [x.a.codeIndexId] }),
      everyone("error:42501"),
    );
  });

  describe("invariants", () => {
    it("an index belongs to its repository's workspace", async () => {
      await expect(
        asSuperuser(
          `insert into public.code_indexes (organization_id, repository_id, repository_full_name)
           values ($1, $2, 'a/b')`,
          [world.orgB.id, world.a.repositoryId],
        ),
      ).rejects.toMatchObject({ code: "23505" });
    });

    it("a ready index has its data and commit", async () => {
      await expect(
        asSuperuser("update public.code_indexes set index_data = null where id = $1", [
          world.a.codeIndexId,
        ]),
      ).rejects.toMatchObject({ code: "23514" });
    });
  });
});
