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

describe("rls: slack_channel_routes", () => {
  describe("select", () => {
    matrix(
      w,
      "read workspace A's channels",
      (x) => ({
        text: "select channel_id, delivery_error from public.slack_channel_routes where organization_id = $1",
        params: [x.orgA.id],
      }),
      admins,
    );
  });
  describe("insert", () => {
    matrix(
      w,
      "choose a channel for an event in workspace A",
      (x) => ({
        text: `insert into public.slack_channel_routes (organization_id, event_type, channel_id, channel_name)
               values ($1, 'bug_created', 'C0GENERAL01', 'general')`,
        params: [x.orgA.id],
      }),
      {
        owner: "ok:1",
        admin: "ok:1",
        member: "error:42501",
        viewer: "error:42501",
        outsider: "error:42501",
        anonymous: "error:42501",
      },
    );
  });
  describe("update", () => {
    matrix(
      w,
      "change workspace A's channel for an event",
      (x) => ({
        text: `update public.slack_channel_routes set channel_id = 'C0GENERAL01', channel_name = 'general'
                where organization_id = $1 and event_type = 'critical_bug'`,
        params: [x.orgA.id],
      }),
      admins,
    );
  });
  matrix(
    w,
    "clear what Slack said about workspace A's channel (the job's column)",
    (x) => ({
      text: `update public.slack_channel_routes set delivery_error = null, delivery_error_at = null
              where organization_id = $1`,
      params: [x.orgA.id],
    }),
    everyone("error:42501"),
  );
  describe("delete", () => {
    matrix(
      w,
      "stop posting an event to Slack in workspace A",
      (x) => ({
        text: "delete from public.slack_channel_routes where organization_id = $1",
        params: [x.orgA.id],
      }),
      admins,
    );
  });

  it("clears the recorded refusal when another channel is chosen, and never routes the digest", async () => {
    await asSuperuser(
      `update public.slack_channel_routes set delivery_error = 'not_in_channel', delivery_error_at = now()
        where organization_id = $1`,
      [world.orgB.id],
    );
    const [same] = await asSuperuser<{ delivery_error: string | null }>(
      `update public.slack_channel_routes set channel_name = 'bugs' where organization_id = $1
       returning delivery_error`,
      [world.orgB.id],
    );
    expect(same?.delivery_error).toBe("not_in_channel");
    const [moved] = await asSuperuser<{ delivery_error: string | null }>(
      `update public.slack_channel_routes set channel_id = 'C0GENERAL01', channel_name = 'general'
        where organization_id = $1 returning delivery_error`,
      [world.orgB.id],
    );
    expect(moved?.delivery_error).toBeNull();
    await expect(
      asSuperuser(
        `insert into public.slack_channel_routes (organization_id, event_type, channel_id, channel_name)
         values ($1, 'daily_digest', 'C0GENERAL01', 'general')`,
        [world.orgB.id],
      ),
    ).rejects.toMatchObject({ code: "23514" });
  });
});
