import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { as, asSuperuser, buildWorld, closeDb, type World } from "./helpers/db";

/**
 * A member with a verified TOTP factor sees nothing of their workspace until the session is aal2,
 * whatever the app does (middleware also redirects them to the challenge).
 */

let world: World;
beforeAll(async () => {
  world = await buildWorld("mfa");
  await asSuperuser(
    `insert into auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at, secret)
     values ($1, $2, 'phone', 'totp', 'verified', now(), now(), 'JBSWY3DPEHPK3PXP')`,
    [randomUUID(), world.users.admin.id],
  );
});
afterAll(closeDb);

describe("MFA in the database", () => {
  it("hides workspace rows from an aal1 session of a user with a verified factor", async () => {
    const aal1 = await as(world.users.admin, "select id from public.organizations where id = $1", [
      world.orgA.id,
    ]);
    expect(aal1.ok && aal1.rowCount).toBe(0);
    const aal2 = await as(
      world.users.admin,
      "select id from public.organizations where id = $1",
      [world.orgA.id],
      { aal: "aal2" },
    );
    expect(aal2.ok && aal2.rowCount).toBe(1);
  });

  it("refuses the RPCs with PT401 until aal2", async () => {
    const sql = "select * from public.get_organization_members($1)";
    const aal1 = await as(world.users.admin, sql, [world.orgA.id]);
    expect(aal1.ok ? "ok" : aal1.error.code).toBe("PT401");
    const aal2 = await as(world.users.admin, sql, [world.orgA.id], { aal: "aal2" });
    expect(aal2.ok && aal2.rowCount).toBe(4);
  });

  it("leaves users without a factor unaffected at aal1", async () => {
    const out = await as(world.users.member, "select id from public.organizations where id = $1", [
      world.orgA.id,
    ]);
    expect(out.ok && out.rowCount).toBe(1);
  });

  it("ignores unverified factors", async () => {
    await asSuperuser(
      `insert into auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at)
       values ($1, $2, 'new', 'totp', 'unverified', now(), now())`,
      [randomUUID(), world.users.viewer.id],
    );
    const out = await as(world.users.viewer, "select id from public.organizations where id = $1", [
      world.orgA.id,
    ]);
    expect(out.ok && out.rowCount).toBe(1);
  });
});
