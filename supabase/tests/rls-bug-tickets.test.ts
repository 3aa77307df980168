import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asSuperuser, closeDb } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";
import { buildPipelineWorld, type PipelineWorld } from "./helpers/pipeline-fixtures";

/**
 * RLS on public.bug_tickets: members (bugs.read) see which tickets report a bug; only the
 * pipeline jobs (service role) link them. A ticket joins one bug.
 */

let world: PipelineWorld;
beforeAll(async () => {
  world = await buildPipelineWorld("bugtickets");
});
afterAll(closeDb);
const w = () => world;

describe("rls: bug_tickets", () => {
  describe("select", () => {
    matrix(
      w,
      "see the tickets of a workspace A bug",
      (x) => ({
        text: "select ticket_id from public.bug_tickets where bug_id = $1",
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
      "link a ticket directly",
      (x) => ({
        text: "insert into public.bug_tickets (organization_id, bug_id, ticket_id) values ($1, $2, $3)",
        params: [x.orgA.id, x.a.bugId, x.a.ticketId],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "move a ticket to another bug directly",
      (x) => ({
        text: "update public.bug_tickets set link_reason = 'duplicate' where ticket_id = $1",
        params: [x.a.ticketId],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "unlink a ticket directly",
      (x) => ({
        text: "delete from public.bug_tickets where ticket_id = $1",
        params: [x.a.ticketId],
      }),
      everyone("error:42501"),
    );
  });

  describe("invariants", () => {
    it("a ticket joins one bug", async () => {
      const [other] = await asSuperuser<{ id: string }>(
        `insert into public.bugs (organization_id, title, severity, extraction_confidence, status)
         values ($1, 'Another', 'low', 0.5, 'review') returning id`,
        [world.orgA.id],
      );
      await expect(
        asSuperuser(
          "insert into public.bug_tickets (organization_id, bug_id, ticket_id) values ($1, $2, $3)",
          [world.orgA.id, other?.id, world.a.ticketId],
        ),
      ).rejects.toMatchObject({ code: "23505" });
    });

    it("a ticket cannot join another workspace's bug", async () => {
      const [ticket] = await asSuperuser<{ id: string }>(
        `insert into public.tickets (organization_id, provider, external_id, provider_created_at)
         values ($1, 'intercom', 'lonely', now()) returning id`,
        [world.orgA.id],
      );
      await expect(
        asSuperuser(
          "insert into public.bug_tickets (organization_id, bug_id, ticket_id) values ($1, $2, $3)",
          [world.orgA.id, world.b.bugId, ticket?.id],
        ),
      ).rejects.toMatchObject({ code: "23503" });
    });
  });
});
