import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asSuperuser, buildWorld, closeDb, type World } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";

/**
 * RLS on the Slack tables (migration 20261207100000), one file per table:
 * - slack_connections: owners and admins read the non-secret columns (integrations.manage),
 *   never the bot token's ciphertext; nobody writes through the API (the callback, disconnect
 *   and the notify job use the service role);
 * - slack_channel_routes: owners and admins choose the channel per event (select, insert, update
 *   the channel, delete); the refusal Slack gave (`delivery_error`) is the job's to write;
 * - slack_messages: the ledger, service role only.
 */

const CIPHERTEXT = "v1.k1.AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB";

let world: World;
beforeAll(async () => {
  world = await buildWorld("slack");
  for (const org of [world.orgA, world.orgB]) {
    await asSuperuser(
      `insert into public.slack_connections (id, organization_id, team_id, team_name, bot_user_id, bot_token_enc)
       values ($1, $2, 'T0SANDBOX1', 'Acme', 'U0PATCHLINE', $3)`,
      [randomUUID(), org.id, CIPHERTEXT],
    );
    await asSuperuser(
      `insert into public.slack_channel_routes (organization_id, event_type, channel_id, channel_name)
       values ($1, 'critical_bug', 'C0BUGS00001', 'bugs')`,
      [org.id],
    );
    await asSuperuser(
      `insert into public.slack_messages (organization_id, event_type, event_key, channel_id)
       values ($1, 'critical_bug', 'critical_bug:x', 'C0BUGS00001')`,
      [org.id],
    );
  }
});
afterAll(closeDb);
const w = () => world;

const admins = {
  owner: "ok:1",
  admin: "ok:1",
  member: "ok:0",
  viewer: "ok:0",
  outsider: "ok:0",
  anonymous: "error:42501",
} as const;

describe("rls: slack_connections", () => {
  describe("select", () => {
    matrix(
      w,
      "read workspace A's Slack team",
      (x) => ({
        text: "select team_name, status, last_error from public.slack_connections where organization_id = $1",
        params: [x.orgA.id],
      }),
      admins,
    );
  });
  matrix(
    w,
    "read workspace A's bot token ciphertext",
    (x) => ({
      text: "select bot_token_enc from public.slack_connections where organization_id = $1",
      params: [x.orgA.id],
    }),
    everyone("error:42501"),
  );
  describe("insert", () => {
    matrix(
      w,
      "connect Slack for workspace A",
      (x) => ({
        text: `insert into public.slack_connections (id, organization_id, team_id, team_name, bot_user_id, bot_token_enc)
               values (gen_random_uuid(), $1, 'T0OTHER', 'Other', 'U0OTHER', $2)`,
        params: [x.orgA.id, CIPHERTEXT],
      }),
      everyone("error:42501"),
    );
  });
  describe("update", () => {
    matrix(
      w,
      "mark workspace A's Slack fine again",
      (x) => ({
        text: "update public.slack_connections set status = 'connected' where organization_id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });
  describe("delete", () => {
    matrix(
      w,
      "disconnect workspace A's Slack",
      (x) => ({
        text: "delete from public.slack_connections where organization_id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  it("accepts only keyring ciphertext for the token, and keeps the row id it is bound to", async () => {
    await expect(
      asSuperuser(
        "update public.slack_connections set bot_token_enc = 'xoxb-plain' where organization_id = $1",
        [world.orgB.id],
      ),
    ).rejects.toThrow(/bot_token_enc_check/);
    const [before] = await asSuperuser<{ id: string }>(
      "select id from public.slack_connections where organization_id = $1",
      [world.orgB.id],
    );
    const [after] = await asSuperuser<{ id: string }>(
      "update public.slack_connections set id = gen_random_uuid() where organization_id = $1 returning id",
      [world.orgB.id],
    );
    expect(after?.id).toBe(before?.id);
  });
});
