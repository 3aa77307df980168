import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asSuperuser, buildWorld, closeDb, db, type World } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";

/**
 * RLS on public.webhook_deliveries: owners and admins read their workspace's delivery log (never
 * the event data); nobody but the service role writes; deliveries of unknown tenants are seen by
 * no client. The ledger's constraints (one row per provider event id, a pending row can be
 * re-sent, a finished one holds no payload) hold whoever writes.
 */

let world: World;
const suffix = randomUUID().slice(0, 8);

beforeAll(async () => {
  world = await buildWorld("whd");
  await asSuperuser(
    `insert into public.webhook_deliveries
       (provider, provider_event_id, organization_id, event_type, status, ignored_reason, event_data)
     values ('github', $2, $1, 'push', 'pending', null, '{"ref":"refs/heads/main"}'),
            ('razorpay', $3, $4, 'payment.captured', 'sent', null, null),
            ('intercom', $5, null, 'conversation.user.created', 'ignored', 'unknown_tenant', null)`,
    [world.orgA.id, `a-${suffix}`, `b-${suffix}`, world.orgB.id, `u-${suffix}`],
  );
});
afterAll(async () => {
  // the fixture rows are not real deliveries: the re-send job must not find them pending later
  await asSuperuser("delete from public.webhook_deliveries where provider_event_id like $1", [
    `%-${suffix}`,
  ]);
  await closeDb();
});
const w = () => world;

/** Runs one statement as the service role (what the admin client does), rolled back. */
async function asServiceRole(sql: string, params: unknown[]) {
  const client = await db().connect();
  try {
    await client.query("begin");
    await client.query("set local role service_role");
    const result = await client.query(sql, params);
    return { ok: true as const, rowCount: result.rowCount };
  } catch (error) {
    return { ok: false as const, code: (error as { code?: string }).code };
  } finally {
    await client.query("rollback").catch(() => {});
    client.release();
  }
}

const readers = {
  owner: "ok:1",
  admin: "ok:1",
  member: "ok:0",
  viewer: "ok:0",
  outsider: "ok:0",
  anonymous: "error:42501",
} as const;

describe("rls: webhook_deliveries", () => {
  describe("select", () => {
    matrix(
      w,
      "select workspace A's delivery log",
      (x) => ({
        text: "select id, provider, provider_event_id, event_type, status, received_at from public.webhook_deliveries where organization_id = $1",
        params: [x.orgA.id],
      }),
      readers,
    );
    matrix(
      w,
      "select workspace B's delivery log (the outsider owns B)",
      (x) => ({
        text: "select id from public.webhook_deliveries where organization_id = $1",
        params: [x.orgB.id],
      }),
      { ...everyone("ok:0"), outsider: "ok:1", anonymous: "error:42501" },
    );
    matrix(
      w,
      "select deliveries of unknown tenants",
      () => ({
        text: "select id from public.webhook_deliveries where provider_event_id = $1",
        params: [`u-${suffix}`],
      }),
      { ...everyone("ok:0"), anonymous: "error:42501" },
    );
    matrix(
      w,
      "select the event data (ticket text) of workspace A's deliveries",
      (x) => ({
        text: "select event_data from public.webhook_deliveries where organization_id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("insert", () => {
    matrix(
      w,
      "forge a delivery in workspace A",
      (x) => ({
        text: `insert into public.webhook_deliveries (provider, provider_event_id, organization_id, event_type, status)
               values ('github', $2, $1, 'push', 'processed')`,
        params: [x.orgA.id, `forged-${randomUUID()}`],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "mark workspace A's deliveries processed",
      (x) => ({
        text: "update public.webhook_deliveries set status = 'processed', event_data = null where organization_id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "erase workspace A's delivery log (to replay a delivery)",
      (x) => ({
        text: "delete from public.webhook_deliveries where organization_id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("the ledger's rules, whoever writes", () => {
    const insert = `insert into public.webhook_deliveries
      (provider, provider_event_id, organization_id, event_type, status, ignored_reason, event_data)
      values ($1, $2, $3, $4, $5, $6, $7)`;

    it("the service role records, marks and deletes deliveries", async () => {
      expect(
        await asServiceRole(insert, [
          "zendesk",
          `ok-${randomUUID()}`,
          world.orgA.id,
          "zen:event-type:ticket.created",
          "pending",
          null,
          { ticketId: 1 },
        ]),
      ).toEqual({ ok: true, rowCount: 1 });
      expect(
        await asServiceRole(
          "update public.webhook_deliveries set status = 'sent', event_data = null, sent_at = now() where provider_event_id = $1",
          [`a-${suffix}`],
        ),
      ).toEqual({ ok: true, rowCount: 1 });
      expect(
        await asServiceRole("delete from public.webhook_deliveries where provider_event_id = $1", [
          `a-${suffix}`,
        ]),
      ).toEqual({ ok: true, rowCount: 1 });
    });

    it("one row per provider event id: a duplicate is refused, another provider's same id is not", async () => {
      const row = (provider: string) => [
        provider,
        `a-${suffix}`,
        world.orgA.id,
        "push",
        "sent",
        null,
        null,
      ];
      expect(await asServiceRole(insert, row("github"))).toEqual({ ok: false, code: "23505" });
      expect(await asServiceRole(insert, row("razorpay"))).toEqual({ ok: true, rowCount: 1 });
    });

    it.each([
      ["a pending row without event data", ["pending", null, null, true]],
      ["a sent row still holding event data", ["sent", null, { x: 1 }, true]],
      ["an ignored row without a reason", ["ignored", null, null, true]],
      ["a reason on a row that is not ignored", ["sent", "ping", null, true]],
      ["a live row without a workspace", ["sent", null, null, false]],
      ["an unknown provider", ["sent", null, null, true, "slack"]],
      ["an unknown status", ["done", null, null, true]],
    ] as const)("refuses %s", async (_label, [status, reason, data, org, provider]) => {
      const orgId = org ? world.orgA.id : null;
      const out = await asServiceRole(insert, [
        provider ?? "github",
        `bad-${randomUUID()}`,
        orgId,
        "push",
        status,
        reason,
        data,
      ]);
      expect(out).toEqual({ ok: false, code: "23514" });
    });

    it("an unknown tenant's delivery is recorded as ignored without a workspace", async () => {
      expect(
        await asServiceRole(insert, [
          "intercom",
          `x-${randomUUID()}`,
          null,
          "ping",
          "ignored",
          "unknown_tenant",
          null,
        ]),
      ).toEqual({ ok: true, rowCount: 1 });
    });
  });
});
