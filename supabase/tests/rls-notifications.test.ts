import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asOk, asSuperuser, buildWorld, closeDb, ROLE_NAMES, type World } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";

/**
 * RLS on public.notifications (the in-app inbox): each person reads and marks read only their
 * own rows in a workspace they belong to; the notify-in-app job writes them (service role);
 * nobody deletes. One row per workspace, recipient and event key.
 */

let world: World;
beforeAll(async () => {
  world = await buildWorld("notif");
  for (const role of ROLE_NAMES) {
    await asSuperuser(
      `insert into public.notifications (organization_id, user_id, event_type, event_key, payload)
       values ($1, $2, 'bug_created', 'bug_created:' || gen_random_uuid(), '{"severity":"low"}')`,
      [world.orgA.id, world.users[role].id],
    );
  }
  await asSuperuser(
    `insert into public.notifications (organization_id, user_id, event_type, event_key)
     values ($1, $2, 'bug_created', 'bug_created:b')`,
    [world.orgB.id, world.users.outsider.id],
  );
});
afterAll(closeDb);
const w = () => world;

const OWN = {
  owner: "ok:1",
  admin: "ok:1",
  member: "ok:1",
  viewer: "ok:1",
  outsider: "ok:0",
  anonymous: "error:42501",
} as const;

const OWNER_ONLY = {
  owner: "ok:1",
  admin: "ok:0",
  member: "ok:0",
  viewer: "ok:0",
  outsider: "ok:0",
  anonymous: "error:42501",
} as const;

describe("rls: notifications", () => {
  describe("select", () => {
    matrix(
      w,
      "read workspace A's notifications",
      (x) => ({
        text: "select id from public.notifications where organization_id = $1",
        params: [x.orgA.id],
      }),
      OWN,
    );
    matrix(
      w,
      "read the owner's notifications",
      (x) => ({
        text: "select id from public.notifications where user_id = $1",
        params: [x.users.owner.id],
      }),
      OWNER_ONLY,
    );
  });

  describe("insert", () => {
    matrix(
      w,
      "write a notification for yourself",
      (x) => ({
        text: `insert into public.notifications (organization_id, user_id, event_type, event_key)
               values ($1, auth.uid(), 'critical_bug', 'forged')`,
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "mark your notifications in A read",
      (x) => ({
        text: "update public.notifications set read_at = now() where organization_id = $1",
        params: [x.orgA.id],
      }),
      OWN,
    );
    matrix(
      w,
      "mark the owner's notifications read",
      (x) => ({
        text: "update public.notifications set read_at = now() where user_id = $1",
        params: [x.users.owner.id],
      }),
      OWNER_ONLY,
    );
    matrix(
      w,
      "rewrite a notification's event",
      (x) => ({
        text: "update public.notifications set event_type = 'critical_bug' where organization_id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "delete workspace A's notifications",
      (x) => ({
        text: "delete from public.notifications where organization_id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("invariants", () => {
    it("holds one row per workspace, recipient and event key", async () => {
      const args = [world.orgA.id, world.users.member.id];
      const sql = `insert into public.notifications (organization_id, user_id, event_type, event_key)
                   values ($1, $2, 'critical_bug', 'critical_bug:once')`;
      await asSuperuser(sql, args);
      await expect(asSuperuser(sql, args)).rejects.toMatchObject({ code: "23505" });
    });

    it("goes only to members (and goes when they leave)", async () => {
      await expect(
        asSuperuser(
          `insert into public.notifications (organization_id, user_id, event_type, event_key)
           values ($1, $2, 'bug_created', 'x')`,
          [world.orgA.id, world.users.outsider.id],
        ),
      ).rejects.toMatchObject({ code: "23503" });
    });

    it("refuses a payload that is not an object or too large", async () => {
      await expect(
        asSuperuser(
          `insert into public.notifications (organization_id, user_id, event_type, event_key, payload)
           values ($1, $2, 'bug_created', 'big', jsonb_build_object('x', repeat(md5(random()::text), 400)))`,
          [world.orgA.id, world.users.member.id],
        ),
      ).rejects.toMatchObject({ code: "23514" });
    });

    it("a member reads their unread count through RLS", async () => {
      const rows = await asOk<{ n: string }>(
        world.users.viewer,
        "select count(*) as n from public.notifications where organization_id = $1 and read_at is null",
        [world.orgA.id],
      );
      expect(Number(rows[0]?.n)).toBe(1);
    });
  });
});
