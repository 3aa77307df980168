import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { as, asSuperuser, closeDb } from "./helpers/db";
import { buildFixWorld, type FixWorld } from "./helpers/fix-fixtures";
import { everyone, matrix } from "./helpers/matrix";

/**
 * RLS on public.fix_attempts: members read a bug's fix attempts (bugs.read); members with
 * bugs.write request one for a Mapped Bug (a queued manual attempt stamped with who asked); the
 * job writes the outcome (service role); nobody updates or deletes through the API.
 */

let world: FixWorld;
const mapped: { a: string; b: string } = { a: "", b: "" };
let finishedA = "";

async function mappedBug(organizationId: string): Promise<string> {
  const [bug] = await asSuperuser<{ id: string }>(
    `insert into public.bugs (organization_id, title, severity, extraction_confidence, mapping_confidence, status)
     values ($1, 'Discount applied twice', 'high', 0.9, 0.95, 'mapped') returning id`,
    [organizationId],
  );
  if (!bug) throw new Error("bug not created");
  return bug.id;
}

beforeAll(async () => {
  world = await buildFixWorld("fixatt");
  mapped.a = await mappedBug(world.orgA.id);
  mapped.b = await mappedBug(world.orgB.id);
  const [row] = await asSuperuser<{ id: string }>(
    `insert into public.fix_attempts (organization_id, bug_id, status, failure_kind, failure_detail, finished_at)
     values ($1, $2, 'failed', 'patch_does_not_apply', 'The change to a.ts does not apply.', now()) returning id`,
    [world.orgA.id, mapped.a],
  );
  finishedA = row?.id ?? "";
});
afterAll(closeDb);
const w = () => world;

describe("rls: fix_attempts", () => {
  describe("select", () => {
    matrix(
      w,
      "read workspace A's fix attempts",
      (x) => ({
        text: "select status, failure_kind from public.fix_attempts where organization_id = $1",
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
      "request a fix for workspace A's Mapped Bug",
      (x) => ({
        text: "insert into public.fix_attempts (organization_id, bug_id) values ($1, $2)",
        params: [x.orgA.id, mapped.a],
      }),
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
      "request a fix for a bug in review (not a Mapped Bug)",
      (x) => ({
        text: "insert into public.fix_attempts (organization_id, bug_id) values ($1, $2)",
        params: [x.orgA.id, x.a.bugId],
      }),
      {
        owner: "error:PT422",
        admin: "error:PT422",
        member: "error:PT422",
        viewer: "error:42501",
        outsider: "error:42501",
        anonymous: "error:42501",
      },
    );
    matrix(
      w,
      "write an outcome when requesting",
      (x) => ({
        text: "insert into public.fix_attempts (organization_id, bug_id, status) values ($1, $2, 'opened')",
        params: [x.orgA.id, mapped.a],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "mark an attempt opened",
      (x) => ({
        text: "update public.fix_attempts set status = 'opened' where organization_id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "delete an attempt",
      (x) => ({
        text: "delete from public.fix_attempts where organization_id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("invariants", () => {
    it("a person's request is a queued manual attempt stamped with them; a second one while it runs is refused", async () => {
      const out = await as<{ status: string; trigger: string; requested_by: string }>(
        world.users.member,
        `insert into public.fix_attempts (organization_id, bug_id) values ($1, $2)
         returning status, trigger, requested_by`,
        [world.orgA.id, mapped.a],
        { rollback: true },
      );
      expect(out.ok && out.rows[0]).toEqual({
        status: "queued",
        trigger: "manual",
        requested_by: world.users.member.id,
      });
      const twice = await as(
        world.users.member,
        `insert into public.fix_attempts (organization_id, bug_id) values ($1, $2), ($1, $2)`,
        [world.orgA.id, mapped.a],
        { rollback: true },
      );
      expect(twice.ok ? "ok" : twice.error.code).toBe("23505");
    });

    it("an attempt keeps its bug and requester; a failure needs a kind", async () => {
      const moved = await asSuperuser("update public.fix_attempts set bug_id = $2 where id = $1", [
        finishedA,
        world.a.bugId,
      ]).catch((e: { code?: string }) => e.code);
      expect(moved).toBe("PT422");
      const noKind = await asSuperuser(
        "update public.fix_attempts set failure_kind = null where id = $1",
        [finishedA],
      ).catch((e: { code?: string }) => e.code);
      expect(noKind).toBe("23514");
    });

    it("a workspace B member cannot request a fix for workspace A's bug", async () => {
      const out = await as(
        world.users.owner,
        "insert into public.fix_attempts (organization_id, bug_id) values ($1, $2)",
        [world.orgB.id, mapped.a],
        { rollback: true },
      );
      expect(out.ok).toBe(false);
    });
  });
});
