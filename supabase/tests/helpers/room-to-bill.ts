import { asSuperuser } from "./db";

/**
 * Puts a workspace on the Scale plan, active for 30 days, with an overage cap of a million, as a
 * workspace with thousands of bugs would be: fixtures that seed more Mapped Bugs than a trial's
 * 10 use it so their bugs are billed (mapped) rather than held over allowance
 * (docs/billing.md). Tests about holding bugs do not use it.
 */
export async function giveRoomToBill(organizationId: string): Promise<void> {
  await asSuperuser(
    `update public.subscriptions
        set status = 'active', plan_id = 'scale', currency = 'USD', overage_cap = 1000000,
            current_period_start = now() - interval '1 day',
            current_period_end = now() + interval '29 days'
      where organization_id = $1`,
    [organizationId],
  );
}
