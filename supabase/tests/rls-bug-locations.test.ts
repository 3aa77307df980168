import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { as, asSuperuser, closeDb } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";
import { buildPipelineWorld, type PipelineWorld } from "./helpers/pipeline-fixtures";

/**
 * RLS on public.bug_locations: members read (bugs.read); owners, admins and members mark a
 * location mismapped with a reason (bugs.flag_mismapped: every role) and change nothing else; the mapping job writes
 * locations (service role), and re-mapping replaces rows rather than editing them.
 */

let world: PipelineWorld;
beforeAll(async () => {
  world = await buildPipelineWorld("locations");
});
afterAll(closeDb);
const w = () => world;

describe("rls: bug_locations", () => {
  describe("select", () => {
    matrix(
      w,
      "read a workspace A bug's locations",
      (x) => ({
        text: "select path, function_name, confidence, explanation from public.bug_locations where bug_id = $1",
        params: [x.a.bugId],
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
      "add a location directly",
      (x) => ({
        text: `insert into public.bug_locations (organization_id, bug_id, repository_full_name,
                 commit_sha, path, start_line, end_line, confidence, rank)
               values ($1, $2, 'a/b', $3, 'x.ts', 1, 2, 0.9, 2)`,
        params: [x.orgA.id, x.a.bugId, "f".repeat(40)],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "mark a location mismapped",
      (x) => ({
        text: "update public.bug_locations set mismapped = true, mismapped_reason = 'the bug is in tax.ts' where id = $1",
        params: [x.a.locationId],
      }),
      {
        owner: "ok:1",
        admin: "ok:1",
        member: "ok:1",
        // any role may flag a mapping as wrong (issue 18)
        viewer: "ok:1",
        outsider: "ok:0",
        anonymous: "error:42501",
      },
    );
    matrix(
      w,
      "move a location to other lines",
      (x) => ({
        text: "update public.bug_locations set start_line = 1 where id = $1",
        params: [x.a.locationId],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "delete a location directly",
      (x) => ({ text: "delete from public.bug_locations where id = $1", params: [x.a.locationId] }),
      everyone("error:42501"),
    );
  });

  describe("invariants", () => {
    it("marking mismapped stamps who and when; clearing it clears the reason", async () => {
      const marked = await as<{ mismapped_by: string; mismapped_at: string }>(
        world.users.member,
        "update public.bug_locations set mismapped = true, mismapped_reason = 'wrong file' where id = $1 returning mismapped_by, mismapped_at",
        [world.a.locationId],
        { rollback: true },
      );
      expect(marked.ok && marked.rows[0]?.mismapped_by).toBe(world.users.member.id);
      expect(marked.ok && marked.rows[0]?.mismapped_at).toBeTruthy();
    });

    it("a location's place in the code is fixed, even for the service role", async () => {
      await expect(
        asSuperuser("update public.bug_locations set path = 'other.ts' where id = $1", [
          world.a.locationId,
        ]),
      ).rejects.toMatchObject({ code: "PT422" });
    });

    it("a location cannot point at another workspace's repository", async () => {
      await expect(
        asSuperuser(
          `insert into public.bug_locations (organization_id, bug_id, repository_id,
             repository_full_name, commit_sha, path, start_line, end_line, confidence, rank)
           values ($1, $2, $3, 'a/b', $4, 'x.ts', 1, 2, 0.9, 3)`,
          [world.orgA.id, world.a.bugId, world.b.repositoryId, "a".repeat(40)],
        ),
      ).rejects.toMatchObject({ code: "23503" });
    });
  });
});
