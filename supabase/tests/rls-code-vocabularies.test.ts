import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asSuperuser, closeDb } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";
import { buildPipelineWorld, type PipelineWorld, SHA } from "./helpers/pipeline-fixtures";

/**
 * RLS on public.code_vocabularies: members read what their repositories' vocabularies were
 * learned from (bugs.read; the Codebase page says so); only the indexing and re-learn jobs
 * (service role) write them, so nobody can steer the mapping by writing words into the table.
 */

const BRIDGE = JSON.stringify({
  version: 1,
  source: "acme/shop",
  pairs: 3,
  words: { even: [["utc", 0.8]] },
});

let world: PipelineWorld;
const ids: Record<"a" | "b", string> = { a: "", b: "" };
beforeAll(async () => {
  world = await buildPipelineWorld("vocab");
  for (const [key, orgId, repositoryId] of [
    ["a", world.orgA.id, world.a.repositoryId],
    ["b", world.orgB.id, world.b.repositoryId],
  ] as const) {
    const [row] = await asSuperuser<{ id: string }>(
      `insert into public.code_vocabularies
         (organization_id, repository_id, bridge, commits_read, pairs_from_commits,
          pairs_from_corrections, commit_learned_at)
       values ($1, $2, $3, 12, 3, 1, $4) returning id`,
      [orgId, repositoryId, BRIDGE, SHA],
    );
    if (!row) throw new Error("fixture not created");
    ids[key] = row.id;
  }
});
afterAll(closeDb);
const w = () => world;

describe("rls: code_vocabularies", () => {
  describe("select", () => {
    matrix(
      w,
      "read workspace A's vocabulary counts",
      (x) => ({
        text: `select id, pairs_from_commits, pairs_from_corrections, learned_at
                 from public.code_vocabularies where organization_id = $1`,
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
      "store a vocabulary directly",
      (x) => ({
        text: `insert into public.code_vocabularies (organization_id, repository_id)
               values ($1, $2)`,
        params: [x.orgA.id, x.a.repositoryId],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "steer the mapping by writing words into the table",
      () => ({
        text: `update public.code_vocabularies
                  set bridge = '{"version": 1, "source": "", "pairs": 1, "words": {"x": [["y", 1]]}}'
                where id = $1`,
        params: [ids.a],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "delete a vocabulary",
      () => ({ text: "delete from public.code_vocabularies where id = $1", params: [ids.a] }),
      everyone("error:42501"),
    );
  });

  describe("invariants", () => {
    it("one row per repository, in the repository's workspace", async () => {
      await expect(
        asSuperuser(
          `insert into public.code_vocabularies (organization_id, repository_id) values ($1, $2)`,
          [world.orgA.id, world.a.repositoryId],
        ),
      ).rejects.toMatchObject({ code: "23505" });
      await expect(
        asSuperuser(
          `insert into public.code_vocabularies (organization_id, repository_id) values ($1, $2)`,
          [world.orgB.id, world.a.repositoryId],
        ),
      ).rejects.toMatchObject({ code: "23505" });
      await expect(
        asSuperuser(
          `insert into public.code_vocabularies (organization_id, repository_id) values ($1, $2)`,
          [world.orgA.id, randomUUID()],
        ),
      ).rejects.toMatchObject({ code: "23503" });
    });

    it("the table is a JSON object and the pairs a list, each within its size cap", async () => {
      for (const sql of [
        `update public.code_vocabularies set bridge = '[]' where id = $1`,
        `update public.code_vocabularies set commit_pairs = '{}' where id = $1`,
        `update public.code_vocabularies
            set bridge = jsonb_build_object('w', repeat('x', 2100000)) where id = $1`,
        `update public.code_vocabularies set pairs_from_commits = -1 where id = $1`,
        `update public.code_vocabularies set commit_learned_at = 'main' where id = $1`,
      ]) {
        await expect(asSuperuser(sql, [ids.a])).rejects.toMatchObject({ code: "23514" });
      }
    });
  });
});
