import { afterAll, beforeAll, describe } from "vitest";
import { closeDb } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";
import { buildPipelineWorld, type PipelineWorld } from "./helpers/pipeline-fixtures";

/**
 * RLS on public.ticket_messages: members (bugs.read) read the public thread of their workspace's
 * tickets; writes are the service role's only.
 */

let world: PipelineWorld;
beforeAll(async () => {
  world = await buildPipelineWorld("messages");
});
afterAll(closeDb);
const w = () => world;

describe("rls: ticket_messages", () => {
  describe("select", () => {
    matrix(
      w,
      "read the thread of a workspace A ticket",
      (x) => ({
        text: "select author_role, body from public.ticket_messages where ticket_id = $1 order by position",
        params: [x.a.ticketId],
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
      "add a message directly",
      (x) => ({
        text: `insert into public.ticket_messages
                 (organization_id, ticket_id, external_id, author_role, position, body, created_at)
               values ($1, $2, 'forged', 'customer', 5, 'hi', now())`,
        params: [x.orgA.id, x.a.ticketId],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "rewrite a message directly",
      (x) => ({
        text: "update public.ticket_messages set body = 'changed' where ticket_id = $1",
        params: [x.a.ticketId],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "delete a message directly",
      (x) => ({
        text: "delete from public.ticket_messages where ticket_id = $1",
        params: [x.a.ticketId],
      }),
      everyone("error:42501"),
    );
  });
});
