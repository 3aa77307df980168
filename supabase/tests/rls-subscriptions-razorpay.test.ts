import { afterAll, beforeAll, describe } from "vitest";
import { type BillingWorld, buildBillingWorld } from "./helpers/billing-fixtures";
import { closeDb } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";

/**
 * The Razorpay state of public.subscriptions (migration 20261206270000): owners and admins read
 * "action needed"; nobody but the service role writes it or the event ordering, and only the
 * service role may record an invoice through public.billing_record_invoice.
 */

let world: BillingWorld;
beforeAll(async () => {
  world = await buildBillingWorld("subsrzp");
});
afterAll(closeDb);
const w = () => world;

describe("rls: subscriptions' Razorpay state", () => {
  matrix(
    w,
    "read workspace A's action needed",
    (x) => ({
      text: "select action_needed, razorpay_event_at from public.subscriptions where organization_id = $1",
      params: [x.orgA.id],
    }),
    {
      owner: "ok:1",
      admin: "ok:1",
      member: "ok:0",
      viewer: "ok:0",
      outsider: "ok:0",
      anonymous: "error:42501",
    },
  );
  matrix(
    w,
    "clear workspace A's action needed",
    (x) => ({
      text: "update public.subscriptions set action_needed = null, action_needed_at = null where organization_id = $1",
      params: [x.orgA.id],
    }),
    everyone("error:42501"),
  );
  matrix(
    w,
    "move workspace A's event clock back",
    (x) => ({
      text: "update public.subscriptions set razorpay_event_at = now() - interval '1 year' where organization_id = $1",
      params: [x.orgA.id],
    }),
    everyone("error:42501"),
  );
  matrix(
    w,
    "record an invoice for workspace A",
    (x) => ({
      text: `select * from public.billing_record_invoice($1, '{}'::jsonb, '[]'::jsonb, 0)`,
      params: [x.orgA.id],
    }),
    everyone("error:42501"),
  );
});
