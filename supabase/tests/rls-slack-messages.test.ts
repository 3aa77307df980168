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

describe("rls: slack_messages", () => {
  describe("select", () => {
    matrix(
      w,
      "read workspace A's ledger",
      (x) => ({
        text: "select id from public.slack_messages where organization_id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("insert", () => {
    matrix(
      w,
      "record a message",
      (x) => ({
        text: `insert into public.slack_messages (organization_id, event_type, event_key, channel_id)
               values ($1, 'bug_created', 'k', 'C0BUGS00001')`,
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "mark a message posted",
      (x) => ({
        text: `update public.slack_messages set status = 'posted', ts = '1.000001', posted_at = now()
                where organization_id = $1`,
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "forget a message (to post again)",
      (x) => ({
        text: "delete from public.slack_messages where organization_id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  it("records one message per occurrence and channel, posted exactly when it has a ts", async () => {
    await expect(
      asSuperuser(
        `insert into public.slack_messages (organization_id, event_type, event_key, channel_id)
         values ($1, 'critical_bug', 'critical_bug:x', 'C0BUGS00001')`,
        [world.orgA.id],
      ),
    ).rejects.toMatchObject({ code: "23505" });
    await expect(
      asSuperuser(
        "update public.slack_messages set status = 'posted', posted_at = now() where organization_id = $1",
        [world.orgA.id],
      ),
    ).rejects.toMatchObject({ code: "23514" });
  });
});
