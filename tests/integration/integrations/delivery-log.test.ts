import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { decodeCursor } from "@/lib/pipeline-data/cursor";
import type { ServerSupabaseClient } from "@/lib/supabase/server";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";
import { buildPagesWorld, type PagesWorld } from "../pipeline-pages/fixtures";

vi.mock("server-only", () => ({}));

/**
 * The delivery log of Settings → Integrations (lib/integrations/delivery-log.ts) against the
 * devstack, as the page calls it: a supabase-js client acting as the signed-in user, so RLS
 * (integrations.manage) and the column grants decide. Keyset pages cover each delivery once,
 * newest first, and lead back; one provider's log holds none of another's; members, viewers
 * and other workspaces read nothing.
 */

let w: PagesWorld;
let mod: typeof import("@/lib/integrations/delivery-log");
const suffix = randomUUID().slice(0, 8);
/** workspace A's Zendesk deliveries, newest first as the log should list them */
let expected: string[] = [];

const as = (u: { client: unknown }) => u.client as ServerSupabaseClient;

beforeAll(async () => {
  w = await buildPagesWorld();
  mod = await import("@/lib/integrations/delivery-log");
  // 23 Zendesk deliveries a second apart, plus three sharing one instant (the id breaks the tie
  // in the keyset), two GitHub deliveries in A, one Zendesk delivery in B. No row is pending:
  // the re-send job must not pick these fixtures up.
  const rows: Array<[string, string, string, string, string | null, string]> = [];
  for (let i = 0; i < 23; i++) {
    const at = new Date(Date.UTC(2026, 10, 1, 0, 0, i)).toISOString();
    const status = i % 5 === 0 ? "ignored" : i % 2 ? "processed" : "sent";
    rows.push([
      w.orgA,
      "zendesk",
      `zd-${i}-${suffix}`,
      status,
      status === "ignored" ? "unsupported_event" : null,
      at,
    ]);
  }
  for (let i = 0; i < 3; i++)
    rows.push([
      w.orgA,
      "zendesk",
      `zd-tie-${i}-${suffix}`,
      "processed",
      null,
      "2026-11-01T00:00:30Z",
    ]);
  rows.push([w.orgA, "github", `gh-0-${suffix}`, "processed", null, "2026-11-01T00:01:00Z"]);
  rows.push([w.orgA, "github", `gh-1-${suffix}`, "sent", null, "2026-11-01T00:01:01Z"]);
  rows.push([w.orgB, "zendesk", `zd-b-${suffix}`, "processed", null, "2026-11-01T00:02:00Z"]);
  for (const [org, provider, eventId, status, reason, at] of rows) {
    await asSuperuser(
      `insert into public.webhook_deliveries
         (organization_id, provider, provider_event_id, event_type, status, ignored_reason, received_at)
       values ($1, $2, $3, 'zen:event-type:ticket.created', $4, $5, $6)`,
      [org, provider, eventId, status, reason, at],
    );
  }
  expected = (
    await asSuperuser<{ provider_event_id: string }>(
      `select provider_event_id from public.webhook_deliveries
        where organization_id = $1 and provider = 'zendesk'
        order by received_at desc, id desc`,
      [w.orgA],
    )
  ).map((r) => r.provider_event_id);
}, 120_000);

afterAll(async () => {
  await asSuperuser("delete from public.webhook_deliveries where provider_event_id like $1", [
    `%-${suffix}`,
  ]);
  await closeDb();
});

describe("delivery log", () => {
  it("pages through one provider's deliveries once each, newest first, and back", async () => {
    expect(expected).toHaveLength(26);
    const pages: string[][] = [];
    let after: string | undefined;
    const cursors: Array<string | undefined> = [];
    for (let n = 0; n < 5; n++) {
      const page = await mod.listDeliveries(as(w.owner), w.orgA, "zendesk", {
        after: decodeCursor(after),
      });
      pages.push(page.rows.map((r) => r.deliveryId));
      cursors.push(page.previous);
      if (!page.next) break;
      after = page.next;
    }
    expect(pages.map((p) => p.length)).toEqual([10, 10, 6]);
    expect(pages.flat()).toEqual(expected);
    expect(cursors[0]).toBeUndefined();

    // "Newer" from the third page lands on exactly the second
    const back = await mod.listDeliveries(as(w.owner), w.orgA, "zendesk", {
      before: decodeCursor(cursors[2]),
    });
    expect(back.rows.map((r) => r.deliveryId)).toEqual(pages[1]);
    expect(back.previous).toBeDefined();
    expect(back.next).toBeDefined();
  });

  it("shows the verdict and never another provider's or workspace's rows", async () => {
    const first = await mod.listDeliveries(as(w.owner), w.orgA, "zendesk", {}, 100);
    expect(first.rows).toHaveLength(26);
    expect(first.rows.some((r) => r.deliveryId.startsWith("gh-"))).toBe(false);
    expect(first.rows.some((r) => r.deliveryId === `zd-b-${suffix}`)).toBe(false);
    const ignored = first.rows.find((r) => r.deliveryId === `zd-0-${suffix}`);
    expect(ignored).toMatchObject({ status: "ignored", ignoredReason: "unsupported_event" });
    // the row carries bookkeeping only: no event data, no body
    expect(Object.keys(ignored ?? {}).sort()).toEqual(
      [
        "deliveryId",
        "eventType",
        "id",
        "ignoredReason",
        "processedAt",
        "receivedAt",
        "status",
      ].sort(),
    );
    const github = await mod.listDeliveries(as(w.owner), w.orgA, "github");
    expect(github.rows.map((r) => r.deliveryId)).toEqual([`gh-1-${suffix}`, `gh-0-${suffix}`]);
  });

  it("is empty for members, viewers and other workspaces (RLS: integrations.manage)", async () => {
    for (const user of [w.member, w.viewer, w.outsider]) {
      const page = await mod.listDeliveries(as(user), w.orgA, "zendesk");
      expect(page.rows).toEqual([]);
      expect(page.next).toBeUndefined();
    }
    // the outsider owns B and reads B's log
    const own = await mod.listDeliveries(as(w.outsider), w.orgB, "zendesk");
    expect(own.rows.map((r) => r.deliveryId)).toEqual([`zd-b-${suffix}`]);
  });
});
