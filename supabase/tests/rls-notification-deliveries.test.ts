import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asSuperuser, buildWorld, closeDb, type World } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";

/**
 * RLS on public.notification_deliveries (the outgoing ledger: one row per recipient, event key
 * and channel, recorded before sending): the notify jobs only (service role). No client command.
 */

let world: World;
beforeAll(async () => {
  world = await buildWorld("deliv");
  await asSuperuser(
    `insert into public.notification_deliveries (organization_id, user_id, event_type, event_key, channel)
     values ($1, $2, 'critical_bug', 'critical_bug:x', 'email')`,
    [world.orgA.id, world.users.member.id],
  );
});
afterAll(closeDb);
const w = () => world;

describe("rls: notification_deliveries", () => {
  describe("select", () => {
    matrix(
      w,
      "read workspace A's deliveries",
      (x) => ({
        text: "select id from public.notification_deliveries where organization_id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("insert", () => {
    matrix(
      w,
      "record a delivery",
      (x) => ({
        text: `insert into public.notification_deliveries (organization_id, user_id, event_type, event_key, channel)
               values ($1, auth.uid(), 'bug_created', 'k', 'email')`,
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "mark a delivery sent",
      (x) => ({
        text: `update public.notification_deliveries set status = 'sent', sent_at = now()
                where organization_id = $1`,
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "forget a delivery (to be sent again)",
      (x) => ({
        text: "delete from public.notification_deliveries where organization_id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("invariants", () => {
    it("records one delivery per recipient, event key and channel", async () => {
      await expect(
        asSuperuser(
          `insert into public.notification_deliveries (organization_id, user_id, event_type, event_key, channel)
           values ($1, $2, 'critical_bug', 'critical_bug:x', 'email')`,
          [world.orgA.id, world.users.member.id],
        ),
      ).rejects.toMatchObject({ code: "23505" });
    });

    it("is sent exactly when it has a sent time", async () => {
      await expect(
        asSuperuser(
          "update public.notification_deliveries set status = 'sent' where organization_id = $1",
          [world.orgA.id],
        ),
      ).rejects.toMatchObject({ code: "23514" });
    });
  });
});
