import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asSuperuser, buildWorld, closeDb, db, type World } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";

/**
 * public.record_webhook_deliveries (the webhook intake's batched round trip): only the service
 * role may call it; each element is recorded exactly as record_webhook_delivery records it
 * (tenant verdict, dedupe, event data), duplicates inside one batch included; results carry the
 * element's position; a batch that fails writes nothing.
 */

let world: World;
const suffix = randomUUID().slice(0, 8);
let github: { id: string; installation: string };

beforeAll(async () => {
  world = await buildWorld("rwds");
  github = { id: randomUUID(), installation: `batch-${suffix}` };
  await asSuperuser(
    `insert into public.integrations (id, organization_id, provider, status, external_account_id)
     values ($1, $2, 'github', 'connected', $3)`,
    [github.id, world.orgA.id, github.installation],
  );
});
afterAll(async () => {
  await asSuperuser("delete from public.webhook_deliveries where provider_event_id like $1", [
    `%-${suffix}`,
  ]);
  await asSuperuser("delete from public.integrations where id = $1", [github.id]);
  await closeDb();
});

const CALL = "select * from public.record_webhook_deliveries($1)";

interface Outcome {
  idx: number;
  delivery_id: string;
  inserted: boolean;
  status: string;
  organization_id: string | null;
  integration_id: string | null;
  ignored_reason: string | null;
  event_data: Record<string, unknown> | null;
  send_attempts: number;
}

interface Item {
  id: string;
  provider: string;
  provider_event_id: string;
  event_type: string;
  tenant_kind: string;
  tenant_key: string | null;
  ignored_reason: string | null;
  event: Record<string, unknown>;
}

function item(
  provider: string,
  eventId: string,
  kind: string,
  key: string | null,
  reason: string | null = null,
): Item {
  return {
    id: randomUUID(),
    provider,
    provider_event_id: eventId,
    event_type: "push",
    tenant_kind: kind,
    tenant_key: key,
    ignored_reason: reason,
    event: { provider, providerEventId: eventId, eventType: "push" },
  };
}

/** Calls the function as the service role (what the intake's admin client does), committed. */
async function recordMany(items: unknown): Promise<Outcome[]> {
  const client = await db().connect();
  try {
    await client.query("begin");
    await client.query("set local role service_role");
    const { rows } = await client.query<Outcome>(CALL, [JSON.stringify(items)]);
    await client.query("commit");
    return [...rows].sort((a, b) => a.idx - b.idx);
  } catch (error) {
    await client.query("rollback");
    throw error;
  } finally {
    client.release();
  }
}

const rowsOf = (eventIds: string[]) =>
  asSuperuser<{ provider_event_id: string; status: string }>(
    "select provider_event_id, status from public.webhook_deliveries where provider_event_id = any($1)",
    [eventIds],
  );

const w = () => world;

describe("record_webhook_deliveries", () => {
  matrix(
    w,
    "record a batch of deliveries for workspace A",
    (x) => ({
      text: CALL,
      params: [
        JSON.stringify([
          {
            ...item("razorpay", `m-${randomUUID()}`, "organization", x.orgA.id),
            event_type: "payment.captured",
          },
        ]),
      ],
    }),
    everyone("error:42501"),
  );

  it("records each element as the single function does, in the caller's positions", async () => {
    const live = item("github", `l-${suffix}`, "account", github.installation);
    const unknown = item("github", `u-${suffix}`, "account", `nobody-${suffix}`);
    const ping = item("razorpay", `p-${suffix}`, "organization", world.orgA.id, "ping");
    const razorpay = item("razorpay", `r-${suffix}`, "organization", world.orgA.id);
    // the same delivery twice in one batch (two concurrent copies): one row, the second a duplicate
    const copy = { ...live, id: randomUUID() };
    const out = await recordMany([razorpay, live, unknown, copy, ping]);
    expect(out.map((o) => o.idx)).toEqual([0, 1, 2, 3, 4]);
    expect(out[0]).toMatchObject({
      delivery_id: razorpay.id,
      inserted: true,
      status: "pending",
      organization_id: world.orgA.id,
      integration_id: null,
    });
    expect(out[1]).toMatchObject({
      delivery_id: live.id,
      inserted: true,
      status: "pending",
      organization_id: world.orgA.id,
      integration_id: github.id,
      send_attempts: 0,
    });
    expect(out[1]?.event_data).toEqual({
      ...live.event,
      organizationId: world.orgA.id,
      integrationId: github.id,
      deliveryId: live.id,
    });
    expect(out[2]).toMatchObject({
      inserted: true,
      status: "ignored",
      ignored_reason: "unknown_tenant",
      organization_id: null,
      event_data: null,
    });
    // the copy names the first row, with its event data while pending, and inserted nothing
    expect(out[3]).toMatchObject({ delivery_id: live.id, inserted: false, status: "pending" });
    expect(out[3]?.event_data).toEqual(out[1]?.event_data);
    expect(out[4]).toMatchObject({ status: "ignored", ignored_reason: "ping" });
    expect(await rowsOf([live.provider_event_id])).toHaveLength(1);
    const [touched] = await asSuperuser<{ last_event_at: Date | null }>(
      "select last_event_at from public.integrations where id = $1",
      [github.id],
    );
    expect(touched?.last_event_at).toBeInstanceOf(Date);

    // a later batch with a delivery already recorded: reported as a duplicate, nothing changed
    const [before] = await asSuperuser<{ updated_at: Date }>(
      "select updated_at from public.webhook_deliveries where id = $1",
      [live.id],
    );
    const fresh = item("github", `f-${suffix}`, "account", github.installation);
    const again = await recordMany([{ ...live, id: randomUUID() }, fresh]);
    expect(again[0]).toMatchObject({ delivery_id: live.id, inserted: false });
    expect(again[1]).toMatchObject({ delivery_id: fresh.id, inserted: true, status: "pending" });
    const [after] = await asSuperuser<{ updated_at: Date }>(
      "select updated_at from public.webhook_deliveries where id = $1",
      [live.id],
    );
    expect(after).toEqual(before);
  });

  it("writes nothing of a batch with a bad element (one transaction)", async () => {
    const good = item("github", `b1-${suffix}`, "account", github.installation);
    const bad = item("github", `b2-${suffix}`, "guess", "x");
    await expect(recordMany([good, bad])).rejects.toMatchObject({ code: "22023" });
    expect(await rowsOf([good.provider_event_id, bad.provider_event_id])).toEqual([]);
    const notUuid = { ...item("github", `b3-${suffix}`, "none", null), id: "not-a-uuid" };
    await expect(recordMany([good, notUuid])).rejects.toMatchObject({ code: "22P02" });
    expect(await rowsOf([good.provider_event_id])).toEqual([]);
  });

  it("refuses what is not an array of objects, and more than 200", async () => {
    await expect(recordMany({ id: randomUUID() })).rejects.toMatchObject({ code: "22023" });
    await expect(recordMany([1])).rejects.toMatchObject({ code: "22023" });
    const many = Array.from({ length: 201 }, (_, i) =>
      item("github", `x${i}-${suffix}`, "none", null),
    );
    await expect(recordMany(many)).rejects.toMatchObject({ code: "22023" });
    expect(await rowsOf([`x0-${suffix}`])).toEqual([]);
    expect(await recordMany([])).toEqual([]);
  });
});
