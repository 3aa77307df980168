import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { as, asSuperuser, closeDb } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";
import { buildPipelineWorld, type PipelineWorld } from "./helpers/pipeline-fixtures";

/**
 * RLS on public.bugs: members read (bugs.read); owners, admins and members correct the fields and
 * the status (bugs.write), viewers and outsiders change nothing; creating and deleting bugs is the
 * pipeline's (service role). The meter (billed_at) is the database's: set once when a bug first
 * becomes mapped, never writable by a client, never changed afterwards.
 */

let world: PipelineWorld;
beforeAll(async () => {
  world = await buildPipelineWorld("bugs");
});
afterAll(closeDb);
const w = () => world;

async function newBug(
  status: "mapped" | "review",
): Promise<{ id: string; billed_at: Date | null }> {
  const [bug] = await asSuperuser<{ id: string; billed_at: Date | null }>(
    `insert into public.bugs (organization_id, title, severity, extraction_confidence, status)
     values ($1, 'Meter probe', 'low', 0.9, $2) returning id, billed_at`,
    [world.orgA.id, status],
  );
  if (!bug) throw new Error("bug not created");
  return bug;
}

describe("rls: bugs", () => {
  describe("select", () => {
    matrix(
      w,
      "read workspace A's bugs",
      (x) => ({
        text: "select id, title, status, billed_at from public.bugs where organization_id = $1",
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
      "create a bug directly",
      (x) => ({
        text: `insert into public.bugs (organization_id, title, severity, extraction_confidence, status)
               values ($1, 'forged', 'low', 1, 'mapped')`,
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "rewrite what the LLM stage recorded (extraction_source, llm_calls)",
      (x) => ({
        text: `update public.bugs set extraction_source = 'llm',
                 llm_calls = '[{"task":"extract","model":"forged"}]'::jsonb where id = $1`,
        params: [x.a.bugId],
      }),
      everyone("error:42501"),
    );
    matrix(
      w,
      "clear or forge a re-map failure (remap_failed_edit_at, remap_error)",
      (x) => ({
        text: "update public.bugs set remap_failed_edit_at = null, remap_error = 'forged' where id = $1",
        params: [x.a.bugId],
      }),
      everyone("error:42501"),
    );
    matrix(
      w,
      "correct a bug's title",
      (x) => ({
        text: "update public.bugs set title = 'Cart total rounds down' where id = $1",
        params: [x.a.bugId],
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
      "correct another workspace's bug",
      (x) => ({
        text: "update public.bugs set title = 'mine now' where id = $1",
        params: [x.b.bugId],
      }),
      {
        owner: "ok:0",
        admin: "ok:0",
        member: "ok:0",
        viewer: "ok:0",
        outsider: "ok:1",
        anonymous: "error:42501",
      },
    );
    matrix(
      w,
      "write the meter directly",
      (x) => ({
        text: "update public.bugs set billed_at = null where id = $1",
        params: [x.a.bugId],
      }),
      everyone("error:42501"),
    );
    matrix(
      w,
      "move a bug to another workspace",
      (x) => ({
        text: "update public.bugs set organization_id = $2 where id = $1",
        params: [x.a.bugId, x.orgB.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "delete a bug directly",
      (x) => ({ text: "delete from public.bugs where id = $1", params: [x.a.bugId] }),
      everyone("error:42501"),
    );
  });

  describe("invariants", () => {
    it("a bug inserted as mapped is metered at once", async () => {
      const bug = await newBug("mapped");
      expect(bug.billed_at).toBeInstanceOf(Date);
    });

    it("a bug in review is not metered until it becomes mapped, then once", async () => {
      const bug = await newBug("review");
      expect(bug.billed_at).toBeNull();
      const [mapped] = await asSuperuser<{ billed_at: Date }>(
        "update public.bugs set status = 'mapped' where id = $1 returning billed_at",
        [bug.id],
      );
      expect(mapped?.billed_at).toBeInstanceOf(Date);
      // re-mapping, dismissing and mapping again never meter again
      await asSuperuser("update public.bugs set status = 'dismissed' where id = $1", [bug.id]);
      const [again] = await asSuperuser<{ billed_at: Date }>(
        "update public.bugs set status = 'mapped', title = 'edited' where id = $1 returning billed_at",
        [bug.id],
      );
      expect(again?.billed_at.getTime()).toBe(mapped?.billed_at.getTime());
    });

    it("billed_at cannot be changed or cleared once set, even by the service role", async () => {
      const bug = await newBug("mapped");
      await expect(
        asSuperuser("update public.bugs set billed_at = now() + interval '1 day' where id = $1", [
          bug.id,
        ]),
      ).rejects.toMatchObject({ code: "PT422" });
      await expect(
        asSuperuser("update public.bugs set billed_at = null where id = $1", [bug.id]),
      ).rejects.toMatchObject({ code: "PT422" });
    });

    it("a member who sets status mapped meters the bug; an edit is stamped with who", async () => {
      const bug = await newBug("review");
      const out = await as<{ billed_at: string | null; edited_by: string | null }>(
        world.users.member,
        "update public.bugs set status = 'mapped', title = 'Fixed title' where id = $1 returning billed_at, edited_by",
        [bug.id],
      );
      expect(out.ok && out.rows[0]?.billed_at).toBeTruthy();
      expect(out.ok && out.rows[0]?.edited_by).toBe(world.users.member.id);
    });
  });
});
