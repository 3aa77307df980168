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

  it("hides the pipeline's rows too: their policies resolve workspaces once, with the same gate", async () => {
    // bugs (and the other pipeline tables) check private.permitted_organizations, not
    // has_permission: it must refuse an aal1 session of a user with a factor just the same.
    const [bug] = await asSuperuser<{ id: string }>(
      `insert into public.bugs (organization_id, title, severity, extraction_confidence, status)
       values ($1, 'MFA probe', 'low', 0.9, 'review') returning id`,
      [world.orgA.id],
    );
    const sql = "select id from public.bugs where id = $1";
    const aal1 = await as(world.users.admin, sql, [bug?.id]);
    expect(aal1.ok && aal1.rowCount).toBe(0);
    const aal2 = await as(world.users.admin, sql, [bug?.id], { aal: "aal2" });
    expect(aal2.ok && aal2.rowCount).toBe(1);
    const noFactor = await as(world.users.member, sql, [bug?.id]);
    expect(noFactor.ok && noFactor.rowCount).toBe(1);
  });

  it("every policy that names its workspaces through a function is gated by MFA", async () => {
    // A policy helper that forgets the aal gate opens a workspace to a password alone: each
    // function a public policy calls in private must call private.mfa_satisfied.
    const [row] = await asSuperuser<{ missing: string[] }>(
      `select coalesce(array_agg(distinct p.proname::text), '{}') as missing
         from pg_policies pol
         join pg_proc p on (coalesce(pol.qual, '') || coalesce(pol.with_check, ''))
                           like '%private.' || p.proname || '(%'
         join pg_namespace n on n.oid = p.pronamespace and n.nspname = 'private'
        where pol.schemaname = 'public'
          and p.proname not in ('mfa_satisfied')
          and p.prosrc not like '%mfa_satisfied%'
          and p.prosrc not like '%has_permission%'
          and p.prosrc not like '%is_member%'
          and p.prosrc not like '%has_role%'`,
    );
    expect(row?.missing).toEqual([]);
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
