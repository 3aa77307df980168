import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asSuperuser, buildWorld, closeDb, db, type World } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";

/**
 * public.record_webhook_delivery (the webhook intake's one round trip): only the service role may
 * call it; it resolves the tenant, records once per provider event id, builds a live delivery's
 * event data, reports a duplicate with the existing row's state and changes nothing, and touches
 * the integration's last_event_at.
 */

let world: World;
const suffix = randomUUID().slice(0, 8);
let githubLive: { id: string; installation: string };
let githubGone: { id: string; installation: string };

beforeAll(async () => {
  world = await buildWorld("rwd");
  githubLive = { id: randomUUID(), installation: `live-${suffix}` };
  githubGone = { id: randomUUID(), installation: `gone-${suffix}` };
  await asSuperuser(
    `insert into public.integrations (id, organization_id, provider, status, external_account_id)
     values ($1, $2, 'github', 'connected', $3), ($4, $5, 'github', 'disconnected', $6)`,
    [
      githubLive.id,
      world.orgA.id,
      githubLive.installation,
      githubGone.id,
      world.orgB.id,
      githubGone.installation,
    ],
  );
});
afterAll(async () => {
  await asSuperuser("delete from public.webhook_deliveries where provider_event_id like $1", [
    `%-${suffix}`,
  ]);
  await asSuperuser("delete from public.integrations where id = any($1)", [
    [githubLive.id, githubGone.id],
  ]);
  await closeDb();
});

const CALL = "select * from public.record_webhook_delivery($1, $2, $3, $4, $5, $6, $7, $8)";

interface Outcome {
  delivery_id: string;
  inserted: boolean;
  status: string;
  organization_id: string | null;
  integration_id: string | null;
  ignored_reason: string | null;
  event_data: Record<string, unknown> | null;
  send_attempts: number;
}

/** Calls the function as the service role (what the intake's admin client does), committed. */
async function record(args: {
  provider: string;
  eventId: string;
  kind: string;
  key: string | null;
  reason?: string | null;
  id?: string;
}): Promise<Outcome> {
  const client = await db().connect();
  try {
    await client.query("begin");
    await client.query("set local role service_role");
    const { rows } = await client.query<Outcome>(CALL, [
      args.id ?? randomUUID(),
      args.provider,
      args.eventId,
      "push",
      args.kind,
      args.key,
      args.reason ?? null,
      JSON.stringify({ provider: args.provider, providerEventId: args.eventId, eventType: "push" }),
    ]);
    await client.query("commit");
    const [row] = rows;
    if (!row) throw new Error("no row");
    return row;
  } catch (error) {
    await client.query("rollback");
    throw error;
  } finally {
    client.release();
  }
}

const w = () => world;

describe("record_webhook_delivery", () => {
  matrix(
    w,
    "record a delivery for workspace A",
    (x) => ({
      text: CALL,
      params: [
        randomUUID(),
        "razorpay",
        `m-${randomUUID()}`,
        "payment.captured",
        "organization",
        x.orgA.id,
        null,
        "{}",
      ],
    }),
    everyone("error:42501"),
  );

  it("a live account: pending with the event data, integration touched; a duplicate changes nothing", async () => {
    const id = randomUUID();
    const eventId = `a-${suffix}`;
    const first = await record({
      provider: "github",
      eventId,
      kind: "account",
      key: githubLive.installation,
      id,
    });
    expect(first).toMatchObject({
      delivery_id: id,
      inserted: true,
      status: "pending",
      organization_id: world.orgA.id,
      integration_id: githubLive.id,
      ignored_reason: null,
      send_attempts: 0,
    });
    expect(first.event_data).toEqual({
      provider: "github",
      providerEventId: eventId,
      eventType: "push",
      organizationId: world.orgA.id,
      integrationId: githubLive.id,
      deliveryId: id,
    });
    const [touched] = await asSuperuser<{ last_event_at: Date | null }>(
      "select last_event_at from public.integrations where id = $1",
      [githubLive.id],
    );
    expect(touched?.last_event_at).toBeInstanceOf(Date);

    const [before] = await asSuperuser<{ updated_at: Date }>(
      "select updated_at from public.webhook_deliveries where id = $1",
      [id],
    );
    const again = await record({ provider: "github", eventId, kind: "none", key: null });
    expect(again).toMatchObject({
      delivery_id: id,
      inserted: false,
      status: "pending",
      organization_id: world.orgA.id,
    });
    expect(again.event_data).toEqual(first.event_data);
    const rows = await asSuperuser<{ updated_at: Date }>(
      "select updated_at from public.webhook_deliveries where provider = 'github' and provider_event_id = $1",
      [eventId],
    );
    expect(rows).toEqual([before]);
  });

  it("an unknown or disconnected tenant is recorded as ignored, without event data", async () => {
    const unknown = await record({
      provider: "github",
      eventId: `u-${suffix}`,
      kind: "account",
      key: `nobody-${suffix}`,
    });
    expect(unknown).toMatchObject({
      inserted: true,
      status: "ignored",
      ignored_reason: "unknown_tenant",
      organization_id: null,
      integration_id: null,
      event_data: null,
    });
    const gone = await record({
      provider: "github",
      eventId: `g-${suffix}`,
      kind: "account",
      key: githubGone.installation,
    });
    expect(gone).toMatchObject({
      status: "ignored",
      ignored_reason: "disconnected",
      organization_id: world.orgB.id,
      integration_id: githubGone.id,
      event_data: null,
    });
    const none = await record({
      provider: "razorpay",
      eventId: `n-${suffix}`,
      kind: "organization",
      key: randomUUID(),
    });
    expect(none).toMatchObject({ status: "ignored", ignored_reason: "unknown_tenant" });
  });

  it("a live organization with a reason to ignore keeps its workspace; a Razorpay one has no integration", async () => {
    const ping = await record({
      provider: "razorpay",
      eventId: `p-${suffix}`,
      kind: "organization",
      key: world.orgA.id,
      reason: "unsupported_event",
    });
    expect(ping).toMatchObject({
      status: "ignored",
      ignored_reason: "unsupported_event",
      organization_id: world.orgA.id,
      event_data: null,
    });
    const live = await record({
      provider: "razorpay",
      eventId: `r-${suffix}`,
      kind: "organization",
      key: world.orgA.id,
    });
    expect(live).toMatchObject({
      status: "pending",
      organization_id: world.orgA.id,
      integration_id: null,
    });
    expect(live.event_data).toMatchObject({ organizationId: world.orgA.id, integrationId: null });
  });

  it("refuses a made-up tenant kind", async () => {
    await expect(
      record({ provider: "github", eventId: `k-${suffix}`, kind: "guess", key: "x" }),
    ).rejects.toMatchObject({ code: "22023" });
  });
});
