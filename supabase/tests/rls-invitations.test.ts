import { afterAll, beforeAll, describe } from "vitest";
import { buildWorld, closeDb, type World } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";

/** RLS on public.invitations: owners and admins read; writes only through RPCs. */

let world: World;
beforeAll(async () => {
  world = await buildWorld("invit");
});
afterAll(closeDb);
const w = () => world;

describe("rls: invitations", () => {
  describe("select", () => {
    // 3 accepted (admin, member, viewer) + 1 pending
    matrix(
      w,
      "select workspace A's invitations",
      (x) => ({
        text: "select id from public.invitations where organization_id = $1",
        params: [x.orgA.id],
      }),
      {
        owner: "ok:4",
        admin: "ok:4",
        member: "ok:0",
        viewer: "ok:0",
        outsider: "ok:0",
        anonymous: "error:42501",
      },
    );
  });

  describe("insert", () => {
    matrix(
      w,
      "insert an invitation directly",
      (x) => ({
        text: `insert into public.invitations (organization_id, email, role, token_hash)
             values ($1, 'x@rls.test', 'owner', repeat('a', 64))`,
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "extend the pending invitation of workspace A",
      (x) => ({
        text: "update public.invitations set expires_at = now() + interval '1 year' where id = $1",
        params: [x.invitationA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "delete the pending invitation of workspace A",
      (x) => ({
        text: "delete from public.invitations where id = $1",
        params: [x.invitationA.id],
      }),
      everyone("error:42501"),
    );
  });
});
