import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWorld, closeDb, db, type World } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";

/** RLS on public.audit_log: owners and admins read; append-only for every role, even superuser. */

let world: World;
beforeAll(async () => {
  world = await buildWorld("audit");
});
afterAll(closeDb);
const w = () => world;

async function asServiceRole(sql: string, params: unknown[]) {
  const client = await db().connect();
  try {
    await client.query("begin");
    await client.query("set local role service_role");
    const result = await client.query(sql, params);
    await client.query("rollback");
    return { ok: true as const, rowCount: result.rowCount };
  } catch (error) {
    await client.query("rollback").catch(() => {});
    return { ok: false as const, code: (error as { code?: string }).code };
  } finally {
    client.release();
  }
}

describe("rls: audit_log", () => {
  describe("select", () => {
    matrix(
      w,
      "select workspace A's audit log",
      (x) => ({
        text: "select id from public.audit_log where organization_id = $1",
        params: [x.orgA.id],
      }),
      {
        owner: "ok:>0",
        admin: "ok:>0",
        member: "ok:0",
        viewer: "ok:0",
        outsider: "ok:0",
        anonymous: "error:42501",
      },
    );
  });

  describe("insert", () => {
    matrix(
      w,
      "forge an audit entry in workspace A",
      (x) => ({
        text: "insert into public.audit_log (organization_id, action) values ($1, 'member.removed')",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "rewrite workspace A's audit log",
      (x) => ({
        text: "update public.audit_log set action = 'nothing.happened' where organization_id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "erase workspace A's audit log",
      (x) => ({
        text: "delete from public.audit_log where organization_id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("append-only beyond RLS", () => {
    it("the service role may append but not update or delete", async () => {
      expect(
        await asServiceRole(
          "insert into public.audit_log (organization_id, action) values ($1, 'admin_client.used')",
          [world.orgA.id],
        ),
      ).toEqual({ ok: true, rowCount: 1 });
      expect(
        await asServiceRole(
          "update public.audit_log set action = 'x.y' where organization_id = $1",
          [world.orgA.id],
        ),
      ).toMatchObject({ ok: false, code: "42501" });
      expect(
        await asServiceRole("delete from public.audit_log where organization_id = $1", [
          world.orgA.id,
        ]),
      ).toMatchObject({ ok: false, code: "42501" });
    });

    it("even the superuser cannot update, delete or truncate it", async () => {
      for (const sql of [
        "update public.audit_log set action = 'x.y' where organization_id = $1",
        "delete from public.audit_log where organization_id = $1",
      ]) {
        await expect(db().query(sql, [world.orgA.id])).rejects.toMatchObject({ code: "42501" });
      }
      const client = await db().connect();
      try {
        await client.query("begin");
        await expect(client.query("truncate public.audit_log")).rejects.toMatchObject({
          code: "42501",
        });
      } finally {
        await client.query("rollback").catch(() => {});
        client.release();
      }
    });
  });
});
