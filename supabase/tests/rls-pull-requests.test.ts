import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { as, asSuperuser, closeDb } from "./helpers/db";
import { buildFixWorld, type FixWorld } from "./helpers/fix-fixtures";
import { everyone, matrix } from "./helpers/matrix";

/**
 * RLS on public.pull_requests: members read a bug's PR stack (bugs.read); members with bugs.write
 * link an existing PR and unlink a linked one; state, checks, review, merge and deploy detection
 * are the webhook intake's and jobs' (service role); a drafted PR is never deleted by a person.
 */

let world: FixWorld;
beforeAll(async () => {
  world = await buildFixWorld("prs");
});
afterAll(closeDb);
const w = () => world;

const LINK = `insert into public.pull_requests (organization_id, bug_id, repository_id, number, url)
              values ($1, $2, $3, 12, 'https://github.com/acme/shop/pull/12')`;

describe("rls: pull_requests", () => {
  describe("select", () => {
    matrix(
      w,
      "read workspace A's pull requests",
      (x) => ({
        text: "select id, state, checks_state, review_state, deploy_state from public.pull_requests where organization_id = $1",
        params: [x.orgA.id],
      }),
      {
        owner: "ok:2",
        admin: "ok:2",
        member: "ok:2",
        viewer: "ok:2",
        outsider: "ok:0",
        anonymous: "error:42501",
      },
    );
  });

  describe("insert", () => {
    matrix(
      w,
      "link an existing PR to a bug",
      (x) => ({ text: LINK, params: [x.orgA.id, x.fa.bug2Id, x.a.repositoryId] }),
      {
        owner: "ok:1",
        admin: "ok:1",
        member: "ok:1",
        viewer: "error:42501",
        outsider: "error:42501",
        anonymous: "error:42501",
      },
    );
    matrix(
      w,
      "link a PR of workspace B's repository to a bug of A",
      (x) => ({ text: LINK, params: [x.orgA.id, x.fa.bug2Id, x.b.repositoryId] }),
      {
        owner: "error:23503",
        admin: "error:23503",
        member: "error:23503",
        viewer: "error:42501",
        outsider: "error:42501",
        anonymous: "error:42501",
      },
    );
    matrix(
      w,
      "link a PR claiming it is merged and shipped",
      (x) => ({
        text: `insert into public.pull_requests
                 (organization_id, bug_id, repository_id, number, url, state, deploy_state)
               values ($1, $2, $3, 13, 'https://github.com/acme/shop/pull/13', 'merged', 'shipped')`,
        params: [x.orgA.id, x.fa.bug2Id, x.a.repositoryId],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "mark a PR's checks passing directly",
      (x) => ({
        text: "update public.pull_requests set checks_state = 'passing' where id = $1",
        params: [x.fa.linkedPrId],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "unlink a linked PR",
      (x) => ({
        text: "delete from public.pull_requests where id = $1",
        params: [x.fa.linkedPrId],
      }),
      {
        owner: "ok:1",
        admin: "ok:1",
        member: "ok:1",
        viewer: "ok:0",
        outsider: "ok:0",
        anonymous: "error:42501",
      },
    );
    matrix(
      w,
      "delete a PR Patchline drafted",
      (x) => ({
        text: "delete from public.pull_requests where id = $1",
        params: [x.fa.draftedPrId],
      }),
      {
        owner: "ok:0",
        admin: "ok:0",
        member: "ok:0",
        viewer: "ok:0",
        outsider: "ok:0",
        anonymous: "error:42501",
      },
    );
  });

  describe("invariants", () => {
    it("a person's link is stamped, linked, and named after its repository", async () => {
      const out = await as<{ linked_by: string; origin: string; repository_full_name: string }>(
        world.users.member,
        `${LINK} returning linked_by, origin, repository_full_name`,
        [world.orgA.id, world.fa.bug2Id, world.a.repositoryId],
        { rollback: true },
      );
      expect(out.ok, out.ok ? "" : out.error.message).toBe(true);
      const [row] = out.ok ? out.rows : [];
      expect(row?.linked_by).toBe(world.users.member.id);
      expect(row?.origin).toBe("linked");
      expect(row?.repository_full_name).toMatch(/^acme-a[0-9a-f]{8}\/shop$/);
    });

    it("one PR per bug and repository", async () => {
      const out = await as(world.users.member, LINK, [
        world.orgA.id,
        world.a.bugId,
        world.a.repositoryId,
      ]);
      expect(out.ok || out.error.code).toBe("23505");
    });

    it("a PR keeps its bug, and merged means a merge commit", async () => {
      await expect(
        asSuperuser("update public.pull_requests set bug_id = $2 where id = $1", [
          world.fa.draftedPrId,
          world.fa.bug2Id,
        ]),
      ).rejects.toMatchObject({ code: "PT422" });
      await expect(
        asSuperuser("update public.pull_requests set merge_sha = null where id = $1", [
          world.fa.draftedPrId,
        ]),
      ).rejects.toMatchObject({ code: "23514" });
      await expect(
        asSuperuser("update public.pull_requests set deploy_state = 'shipped' where id = $1", [
          world.fa.linkedPrId,
        ]),
      ).rejects.toMatchObject({ code: "23514" });
    });
  });
});
