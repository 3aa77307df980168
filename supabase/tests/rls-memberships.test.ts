import { afterAll, beforeAll, describe } from "vitest";
import { buildWorld, closeDb, type World } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";

/** RLS on public.memberships: members read their workspace's rows; writes only through RPCs. */

let world: World;
beforeAll(async () => {
  world = await buildWorld("mship");
});
afterAll(closeDb);
const w = () => world;

describe("rls: memberships", () => {
  describe("select", () => {
    matrix(
      w,
      "select workspace A's members",
      (x) => ({
        text: "select user_id from public.memberships where organization_id = $1",
        params: [x.orgA.id],
      }),
      {
        owner: "ok:4",
        admin: "ok:4",
        member: "ok:4",
        viewer: "ok:4",
        outsider: "ok:0",
        anonymous: "error:42501",
      },
    );
  });

  describe("insert", () => {
    matrix(
      w,
      "add oneself to workspace A as owner",
      (x) => ({
        text: "insert into public.memberships (organization_id, user_id, role) values ($1, $2, 'owner')",
        params: [x.orgA.id, x.users.outsider.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "promote the viewer of workspace A to admin",
      (x) => ({
        text: "update public.memberships set role = 'admin' where organization_id = $1 and user_id = $2",
        params: [x.orgA.id, x.users.viewer.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "delete the owner's membership of workspace A",
      (x) => ({
        text: "delete from public.memberships where organization_id = $1 and user_id = $2",
        params: [x.orgA.id, x.users.owner.id],
      }),
      everyone("error:42501"),
    );
  });
});
