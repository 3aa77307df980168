import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asSuperuser, closeDb } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";
import { buildPipelineWorld, type PipelineWorld, SHA } from "./helpers/pipeline-fixtures";

/**
 * RLS on public.repository_owners: members read the owners synthesised for their repositories
 * (bugs.read); only the synthesis job (service role) writes them, so nobody can make themselves
 * the owner of code and be requested as a reviewer.
 */

let world: PipelineWorld;
const ownersIds: Record<"a" | "b", string> = { a: "", b: "" };
beforeAll(async () => {
  world = await buildPipelineWorld("owners");
  for (const [key, orgId, repositoryId] of [
    ["a", world.orgA.id, world.a.repositoryId],
    ["b", world.orgB.id, world.b.repositoryId],
  ] as const) {
    const [row] = await asSuperuser<{ id: string }>(
      `insert into public.repository_owners
         (organization_id, repository_id, commit_sha, status, pages_read, commits_counted, owners)
       values ($1, $2, $3, 'done', 1, 2, $4) returning id`,
      [orgId, repositoryId, SHA, JSON.stringify({ "src/a.ts": [{ id: "@ana", weight: 1 }] })],
    );
    if (!row) throw new Error("fixture not created");
    ownersIds[key] = row.id;
  }
});
afterAll(closeDb);
const w = () => world;

describe("rls: repository_owners", () => {
  describe("select", () => {
    matrix(
      w,
      "read workspace A's synthesised owners",
      (x) => ({
        text: "select id, owners, status from public.repository_owners where organization_id = $1",
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
      "store owners directly",
      (x) => ({
        text: `insert into public.repository_owners (organization_id, repository_id, commit_sha)
               values ($1, $2, $3)`,
        params: [x.orgA.id, x.a.repositoryId, SHA],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "make oneself the owner of a path",
      () => ({
        text: `update public.repository_owners set owners = '{"src/a.ts": [{"id": "@me"}]}'
               where id = $1`,
        params: [ownersIds.a],
      }),
      everyone("error:42501"),
    );
    matrix(
      w,
      "record a CODEOWNERS pull request or queue a run (the service role does, for the page)",
      () => ({
        text: `update public.repository_owners
                  set status = 'queued', codeowners_pr_number = 7,
                      codeowners_pr_url = 'https://github.com/a/b/pull/7',
                      codeowners_pr_opened_at = now()
                where id = $1`,
        params: [ownersIds.a],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "delete the synthesised owners",
      () => ({ text: "delete from public.repository_owners where id = $1", params: [ownersIds.a] }),
      everyone("error:42501"),
    );
  });

  describe("invariants", () => {
    it("one row per repository, in the repository's workspace", async () => {
      await expect(
        asSuperuser(
          `insert into public.repository_owners (organization_id, repository_id, commit_sha)
           values ($1, $2, $3)`,
          [world.orgA.id, world.a.repositoryId, SHA],
        ),
      ).rejects.toMatchObject({ code: "23505" });
      await expect(
        asSuperuser(
          `insert into public.repository_owners (organization_id, repository_id, commit_sha)
           values ($1, $2, $3)`,
          [world.orgA.id, randomUUID(), SHA],
        ),
      ).rejects.toMatchObject({ code: "23503" });
    });

    it("a failure says why, and a CODEOWNERS file leaves nothing synthesised", async () => {
      await expect(
        asSuperuser("update public.repository_owners set status = 'failed' where id = $1", [
          ownersIds.a,
        ]),
      ).rejects.toMatchObject({ code: "23514" });
      await expect(
        asSuperuser(
          "update public.repository_owners set codeowners_path = 'CODEOWNERS' where id = $1",
          [ownersIds.a],
        ),
      ).rejects.toMatchObject({ code: "23514" });
    });

    it("only a queued request has no commit yet; a recorded PR is complete", async () => {
      await expect(
        asSuperuser("update public.repository_owners set commit_sha = null where id = $1", [
          ownersIds.a,
        ]),
      ).rejects.toMatchObject({ code: "23514" });
      await expect(
        asSuperuser("update public.repository_owners set codeowners_pr_number = 3 where id = $1", [
          ownersIds.a,
        ]),
      ).rejects.toMatchObject({ code: "23514" });
      await expect(
        asSuperuser(
          `update public.repository_owners set history = '{"not": "a list"}' where id = $1`,
          [ownersIds.a],
        ),
      ).rejects.toMatchObject({ code: "23514" });
    });
  });
});
