import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { as, buildWorld, closeDb, type World } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";

/** RLS on public.organizations: members read; owner/admin rename; nobody inserts or deletes. */

let world: World;
beforeAll(async () => {
  world = await buildWorld("orgs");
});
afterAll(closeDb);
const w = () => world;

describe("rls: organizations", () => {
  describe("select", () => {
    matrix(
      w,
      "select workspace A",
      (x) => ({
        text: "select id from public.organizations where id = $1",
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

    it("an unfiltered select shows only the caller's workspaces", async () => {
      const out = await as<{ id: string }>(
        world.users.outsider,
        "select id from public.organizations",
      );
      expect(out.ok && out.rows.map((r) => r.id)).toEqual([world.orgB.id]);
    });
  });

  describe("insert", () => {
    matrix(
      w,
      "insert a workspace directly",
      () => ({
        text: "insert into public.organizations (name, slug) values ('X', 'direct-insert-x')",
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "rename workspace A",
      (x) => ({
        text: "update public.organizations set name = 'Renamed' where id = $1",
        params: [x.orgA.id],
      }),
      {
        owner: "ok:1",
        admin: "ok:1",
        member: "ok:0",
        viewer: "ok:0",
        outsider: "ok:0",
        anonymous: "error:42501",
      },
    );

    matrix(
      w,
      "change workspace A's slug",
      (x) => ({
        text: "update public.organizations set slug = 'stolen-slug' where id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );

    matrix(
      w,
      "change workspace A's created_by",
      (x) => ({
        text: "update public.organizations set created_by = null where id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "delete workspace A",
      (x) => ({
        text: "delete from public.organizations where id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });
});
