import { afterAll, beforeAll, describe } from "vitest";
import { type BillingWorld, buildBillingWorld } from "./helpers/billing-fixtures";
import { closeDb } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";

/**
 * The trial notice stamps of public.subscriptions (migration 20261206290000): owners and admins
 * may read them with the rest of the subscription; nobody but the service role (the
 * notify-trial-ending job) writes them, so nobody can re-arm or silence a notice.
 */

let world: BillingWorld;
beforeAll(async () => {
  world = await buildBillingWorld("subtrial");
});
afterAll(closeDb);
const w = () => world;

describe("rls: subscriptions' trial notices", () => {
  matrix(
    w,
    "read workspace A's trial notice stamps",
    (x) => ({
      text: "select trial_ending_notified_at, trial_ended_notified_at from public.subscriptions where organization_id = $1",
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
    "re-arm workspace A's trial ending notice",
    (x) => ({
      text: "update public.subscriptions set trial_ending_notified_at = null where organization_id = $1",
      params: [x.orgA.id],
    }),
    everyone("error:42501"),
  );
  matrix(
    w,
    "silence workspace A's trial ended notice",
    (x) => ({
      text: "update public.subscriptions set trial_ended_notified_at = now() where organization_id = $1",
      params: [x.orgA.id],
    }),
    everyone("error:42501"),
  );
});
