import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { as, asSuperuser, closeDb } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";
import { buildPipelineWorld, type PipelineWorld } from "./helpers/pipeline-fixtures";

/**
 * RLS on public.review_items: members read the queue (bugs.read); owners, admins and members
 * accept or dismiss an item (bugs.write); the pipeline creates items (service role). Accepting a
 * bug's item makes it a Mapped Bug, metered once; an item is resolved once.
 */

let world: PipelineWorld;
beforeAll(async () => {
  world = await buildPipelineWorld("review");
});
afterAll(closeDb);
const w = () => world;

describe("rls: review_items", () => {
  describe("select", () => {
    matrix(
      w,
      "read workspace A's queue",
      (x) => ({
        text: "select id, gate, reason, status from public.review_items where organization_id = $1",
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
      "queue an item directly",
      (x) => ({
        text: `insert into public.review_items (organization_id, ticket_id, gate, reason)
               values ($1, $2, 'extraction', 'forged')`,
        params: [x.orgA.id, x.a.ticketId],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "accept an item",
      (x) => ({
        text: "update public.review_items set status = 'accepted' where id = $1",
        params: [x.a.reviewItemId],
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
      "rewrite an item's reason",
      (x) => ({
        text: "update public.review_items set reason = 'fine' where id = $1",
        params: [x.a.reviewItemId],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "delete an item directly",
      (x) => ({
        text: "delete from public.review_items where id = $1",
        params: [x.a.reviewItemId],
      }),
      everyone("error:42501"),
    );
  });

  describe("invariants", () => {
    it("accepting makes the bug a Mapped Bug, metered once, and the item is resolved once", async () => {
      const [bug] = await asSuperuser<{ id: string }>(
        `insert into public.bugs (organization_id, title, severity, extraction_confidence, status)
         values ($1, 'Held bug', 'low', 0.5, 'review') returning id`,
        [world.orgA.id],
      );
      const [item] = await asSuperuser<{ id: string }>(
        `insert into public.review_items (organization_id, bug_id, gate, reason)
         values ($1, $2, 'extraction', 'no steps') returning id`,
        [world.orgA.id, bug?.id],
      );
      const accepted = await as<{ resolved_by: string }>(
        world.users.member,
        "update public.review_items set status = 'accepted' where id = $1 returning resolved_by",
        [item?.id],
      );
      expect(accepted.ok && accepted.rows[0]?.resolved_by).toBe(world.users.member.id);
      const [after] = await asSuperuser<{ status: string; billed_at: Date | null }>(
        "select status, billed_at from public.bugs where id = $1",
        [bug?.id],
      );
      expect(after?.status).toBe("mapped");
      expect(after?.billed_at).toBeInstanceOf(Date);
      const again = await as(
        world.users.admin,
        "update public.review_items set status = 'dismissed' where id = $1",
        [item?.id],
      );
      expect(again.ok ? "ok" : again.error.code).toBe("PT422");
    });

    it("one item per bug and gate", async () => {
      await expect(
        asSuperuser(
          `insert into public.review_items (organization_id, bug_id, gate, reason)
           values ($1, $2, 'mapping', 'again')`,
          [world.orgA.id, world.a.bugId],
        ),
      ).rejects.toMatchObject({ code: "23505" });
    });
  });
});
