import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asSuperuser, closeDb } from "./helpers/db";
import { buildFixWorld, type FixWorld } from "./helpers/fix-fixtures";
import { everyone, matrix } from "./helpers/matrix";

/**
 * RLS on public.fix_review_rounds: members read what Patchline did with a review asking for
 * changes (bugs.read); only the fix-review-round job (service role) writes, so nobody records a
 * round to use up the workspace's limit or fakes a pushed commit.
 */

let world: FixWorld;
const roundIds: Record<"a" | "b", string> = { a: "", b: "" };
const SHA = "0123456789abcdef0123456789abcdef01234567";
beforeAll(async () => {
  world = await buildFixWorld("rounds");
  for (const [key, orgId, rows, bugId] of [
    ["a", world.orgA.id, world.fa, world.a.bugId],
    ["b", world.orgB.id, world.fb, world.b.bugId],
  ] as const) {
    const [row] = await asSuperuser<{ id: string }>(
      `insert into public.fix_review_rounds
         (organization_id, bug_id, pull_request_id, github_review_id, reviewer, status, round, commit_sha, finished_at)
       values ($1, $2, $3, 77, 'cart-lead', 'pushed', 1, $4, now()) returning id`,
      [orgId, bugId, rows.draftedPrId, SHA],
    );
    if (!row) throw new Error("fixture not created");
    roundIds[key] = row.id;
  }
});
afterAll(closeDb);
const w = () => world;

describe("rls: fix_review_rounds", () => {
  describe("select", () => {
    matrix(
      w,
      "read workspace A's review rounds",
      (x) => ({
        text: "select id, status, round from public.fix_review_rounds where organization_id = $1",
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
      "record a review round directly",
      (x) => ({
        text: `insert into public.fix_review_rounds
                 (organization_id, bug_id, pull_request_id, github_review_id, reviewer, status, reason)
               values ($1, $2, $3, 78, 'me', 'shown', 'no_provider')`,
        params: [x.orgA.id, x.a.bugId, x.fa.draftedPrId],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "free a round slot",
      () => ({
        text: "update public.fix_review_rounds set status = 'failed', round = null, failure_kind = 'no_fix' where id = $1",
        params: [roundIds.a],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "delete a review round",
      () => ({ text: "delete from public.fix_review_rounds where id = $1", params: [roundIds.a] }),
      everyone("error:42501"),
    );
  });

  describe("invariants", () => {
    it("one row per review and pull request, one row per round number", async () => {
      await expect(
        asSuperuser(
          `insert into public.fix_review_rounds
             (organization_id, bug_id, pull_request_id, github_review_id, reviewer, status, reason)
           values ($1, $2, $3, 77, 'cart-lead', 'shown', 'limit_reached')`,
          [world.orgA.id, world.a.bugId, world.fa.draftedPrId],
        ),
      ).rejects.toMatchObject({ code: "23505" });
      await expect(
        asSuperuser(
          `insert into public.fix_review_rounds
             (organization_id, bug_id, pull_request_id, github_review_id, reviewer, status, round)
           values ($1, $2, $3, 79, 'cart-lead', 'running', 1)`,
          [world.orgA.id, world.a.bugId, world.fa.draftedPrId],
        ),
      ).rejects.toMatchObject({ code: "23505" });
    });

    it("a round's pull request is in its workspace; shown says why, failed says what, pushed names its commit", async () => {
      await expect(
        asSuperuser(
          `insert into public.fix_review_rounds
             (organization_id, bug_id, pull_request_id, github_review_id, reviewer, status, reason)
           values ($1, $2, $3, 80, 'x', 'shown', 'no_provider')`,
          [world.orgA.id, world.a.bugId, world.fb.draftedPrId],
        ),
      ).rejects.toMatchObject({ code: "23503" });
      for (const [status, extra] of [
        ["shown", ""],
        ["failed", ""],
        ["pushed", ", round"],
      ] as const) {
        await expect(
          asSuperuser(
            `insert into public.fix_review_rounds
               (organization_id, bug_id, pull_request_id, github_review_id, reviewer, status${extra})
             values ($1, $2, $3, 81, 'x', $4${extra ? ", 2" : ""})`,
            [world.orgA.id, world.a.bugId, world.fa.draftedPrId, status],
          ),
        ).rejects.toMatchObject({ code: "23514" });
      }
    });
  });
});
