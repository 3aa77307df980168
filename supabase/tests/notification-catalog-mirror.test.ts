import { afterAll, describe, expect, it } from "vitest";
import { NOTIFICATION_EVENTS } from "@/lib/notifications/catalog";
import { asSuperuser, closeDb } from "./helpers/db";

/**
 * lib/notifications/catalog.ts (the pages, the emails) and private.notification_events (the
 * preference trigger, public.notification_recipients) are the same table: this fails when they
 * differ.
 */

afterAll(closeDb);

describe("notification catalog", () => {
  it("is the same in TypeScript and in the database", async () => {
    const rows = await asSuperuser<Record<string, unknown>>(
      `select event_type, admin_only, locked_in_app, locked_email, in_app_default, email_default,
              email_only from private.notification_events order by event_type`,
    );
    const fromDb = Object.fromEntries(
      rows.map((r) => [
        r.event_type,
        {
          adminOnly: r.admin_only,
          lockedInApp: r.locked_in_app,
          lockedEmail: r.locked_email,
          inAppDefault: r.in_app_default,
          emailDefault: r.email_default,
          emailOnly: r.email_only,
        },
      ]),
    );
    const fromTs = Object.fromEntries(
      Object.entries(NOTIFICATION_EVENTS).map(([type, { label: _l, description: _d, ...rest }]) => [
        type,
        rest,
      ]),
    );
    expect(fromDb).toEqual(fromTs);
  });
});
