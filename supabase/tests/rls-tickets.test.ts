import { afterAll, beforeAll, describe } from "vitest";
import { closeDb } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";
import { buildPipelineWorld, type PipelineWorld } from "./helpers/pipeline-fixtures";

/**
 * RLS on public.tickets: every member of the workspace (bugs.read) reads its tickets; nobody but
 * the service role (ticket intake and pipeline jobs) writes them.
 */

let world: PipelineWorld;
beforeAll(async () => {
  world = await buildPipelineWorld("tickets");
});
afterAll(closeDb);
const w = () => world;
const members = { owner: "ok:1", admin: "ok:1", member: "ok:1", viewer: "ok:1" } as const;

describe("rls: tickets", () => {
  describe("select", () => {
    matrix(
      w,
      "select workspace A's tickets",
      (x) => ({
        text: "select id, subject, status, skip_reason from public.tickets where organization_id = $1",
        params: [x.orgA.id],
      }),
      { ...members, outsider: "ok:0", anonymous: "error:42501" },
    );
    matrix(
      w,
      "select every ticket without a filter",
      () => ({ text: "select id from public.tickets" }),
      { ...members, outsider: "ok:1", anonymous: "error:42501" },
    );
  });

  describe("insert", () => {
    matrix(
      w,
      "insert a ticket directly",
      (x) => ({
        text: `insert into public.tickets (organization_id, provider, external_id, provider_created_at)
               values ($1, 'zendesk', 'forged-1', now())`,
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "change a ticket's status directly",
      (x) => ({
        text: "update public.tickets set status = 'received' where id = $1",
        params: [x.a.ticketId],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "delete a ticket directly",
      (x) => ({ text: "delete from public.tickets where id = $1", params: [x.a.ticketId] }),
      everyone("error:42501"),
    );
  });
});
