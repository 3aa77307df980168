import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asOk, asSuperuser, buildWorld, closeDb, ROLE_NAMES, type World } from "./helpers/db";
import { matrix } from "./helpers/matrix";

/**
 * RLS on public.notification_preferences: each person reads and writes only their own choices in
 * a workspace they belong to; locked channels stay on and admin-only events are refused for
 * members and viewers (trigger), whoever writes.
 */

let world: World;
beforeAll(async () => {
  world = await buildWorld("prefs");
  for (const role of ROLE_NAMES) {
    await asSuperuser(
      `insert into public.notification_preferences (organization_id, user_id, event_type, in_app, email)
       values ($1, $2, 'rca_published', true, true)`,
      [world.orgA.id, world.users[role].id],
    );
  }
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

describe("rls: notification_preferences", () => {
  describe("select", () => {
    matrix(
      w,
      "read your choices in A",
      (x) => ({
        text: "select event_type from public.notification_preferences where organization_id = $1",
        params: [x.orgA.id],
      }),
      OWN,
    );
    matrix(
      w,
      "read the owner's choices",
      (x) => ({
        text: "select event_type from public.notification_preferences where user_id = $1",
        params: [x.users.owner.id],
      }),
      {
        owner: "ok:1",
        admin: "ok:0",
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
      "turn off new-bug email for yourself in A",
      (x) => ({
        text: `insert into public.notification_preferences (organization_id, user_id, event_type, in_app, email)
               values ($1, auth.uid(), 'bug_created', true, false)`,
        params: [x.orgA.id],
      }),
      {
        owner: "ok:1",
        admin: "ok:1",
        member: "ok:1",
        viewer: "ok:1",
        // not a member of A: the membership foreign key or the policy refuses
        outsider: "error:42501",
        anonymous: "error:42501",
      },
    );
    matrix(
      w,
      "choose for the owner",
      (x) => ({
        text: `insert into public.notification_preferences (organization_id, user_id, event_type, in_app, email)
               values ($1, $2, 'bug_created', false, false)`,
        params: [x.orgA.id, x.users.owner.id],
      }),
      {
        owner: "ok:1",
        admin: "error:42501",
        member: "error:42501",
        viewer: "error:42501",
        outsider: "error:42501",
        anonymous: "error:42501",
      },
    );
    matrix(
      w,
      "opt into usage-warning email (admin-only)",
      (x) => ({
        text: `insert into public.notification_preferences (organization_id, user_id, event_type, in_app, email)
               values ($1, auth.uid(), 'usage_warning', true, true)`,
        params: [x.orgA.id],
      }),
      {
        owner: "ok:1",
        admin: "ok:1",
        member: "error:PT403",
        viewer: "error:PT403",
        outsider: "error:42501",
        anonymous: "error:42501",
      },
    );
  });

  describe("update", () => {
    matrix(
      w,
      "turn your RCA email off in A",
      (x) => ({
        text: `update public.notification_preferences set email = false
                where organization_id = $1 and event_type = 'rca_published'`,
        params: [x.orgA.id],
      }),
      OWN,
    );
    matrix(
      w,
      "move your choice to another user",
      (x) => ({
        text: "update public.notification_preferences set user_id = $2 where organization_id = $1",
        params: [x.orgA.id, x.users.owner.id],
      }),
      {
        owner: "error:42501",
        admin: "error:42501",
        member: "error:42501",
        viewer: "error:42501",
        outsider: "error:42501",
        anonymous: "error:42501",
      },
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "reset your choices in A to the defaults",
      (x) => ({
        text: "delete from public.notification_preferences where organization_id = $1",
        params: [x.orgA.id],
      }),
      OWN,
    );
  });

  describe("invariants", () => {
    it("keeps a locked channel on whatever is written", async () => {
      const rows = await asOk<{ in_app: boolean; email: boolean }>(
        world.users.member,
        `insert into public.notification_preferences (organization_id, user_id, event_type, in_app, email)
         values ($1, auth.uid(), 'critical_bug', false, false) returning in_app, email`,
        [world.orgA.id],
      );
      expect(rows[0]).toEqual({ in_app: true, email: false });
    });

    it("keeps the daily digest out of the app", async () => {
      const rows = await asOk<{ in_app: boolean; email: boolean }>(
        world.users.viewer,
        `insert into public.notification_preferences (organization_id, user_id, event_type, in_app, email)
         values ($1, auth.uid(), 'daily_digest', true, true) returning in_app, email`,
        [world.orgA.id],
      );
      expect(rows[0]).toEqual({ in_app: false, email: true });
    });

    it("refuses an event the catalog does not know", async () => {
      await expect(
        asSuperuser(
          `insert into public.notification_preferences (organization_id, user_id, event_type, in_app, email)
           values ($1, $2, 'made_up', true, true)`,
          [world.orgA.id, world.users.member.id],
        ),
      ).rejects.toMatchObject({ code: "23503" });
    });
  });
});
