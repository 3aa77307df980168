import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asSuperuser, buildWorld, closeDb, db, type World } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";

/**
 * RLS on public.integrations: owners and admins read the non-secret columns of their workspace's
 * rows; no client role reads a *_enc column or writes anything; the service role does the writes.
 * The constraints that keep "one support tool, one GitHub installation, ciphertext only" hold
 * whoever writes.
 */

let world: World;
let integrationA: string;
let integrationB: string;
const suffix = randomUUID().slice(0, 8);
// keyring-shaped ciphertext (v1.<keyId>.<iv>.<body>); its content does not matter to the database
const CIPHERTEXT = "v1.k1.AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

beforeAll(async () => {
  world = await buildWorld("integ");
  const [a] = await asSuperuser<{ id: string }>(
    `insert into public.integrations (organization_id, provider, external_account_id, account,
       access_token_enc, refresh_token_enc, webhook_secret_enc, connected_by, connected_at)
     values ($1, 'zendesk', $2, '{"subdomain":"acme"}', $3, $3, $3, $4, now()) returning id`,
    [world.orgA.id, `acme-${suffix}`, CIPHERTEXT, world.users.owner.id],
  );
  const [b] = await asSuperuser<{ id: string }>(
    `insert into public.integrations (organization_id, provider, external_account_id, access_token_enc)
     values ($1, 'github', $2, $3) returning id`,
    [world.orgB.id, `9${suffix.replace(/\D/g, "")}1`, CIPHERTEXT],
  );
  if (!a || !b) throw new Error("fixtures not created");
  integrationA = a.id;
  integrationB = b.id;
});
afterAll(closeDb);
const w = () => world;

/** Runs one statement as the service role (what the admin client does), rolled back. */
async function asServiceRole(sql: string, params: unknown[]) {
  const client = await db().connect();
  try {
    await client.query("begin");
    await client.query("set local role service_role");
    const result = await client.query(sql, params);
    return { ok: true as const, rowCount: result.rowCount, rows: result.rows };
  } catch (error) {
    return { ok: false as const, code: (error as { code?: string }).code };
  } finally {
    await client.query("rollback").catch(() => {});
    client.release();
  }
}

describe("rls: integrations", () => {
  describe("select", () => {
    matrix(
      w,
      "select workspace A's integrations (non-secret columns)",
      (x) => ({
        text: "select id, provider, category, status, account from public.integrations where organization_id = $1",
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
      "select workspace B's integrations (another tenant's)",
      (x) => ({
        text: "select id from public.integrations where organization_id = $1",
        params: [x.orgB.id],
      }),
      {
        owner: "ok:0",
        admin: "ok:0",
        member: "ok:0",
        viewer: "ok:0",
        outsider: "ok:1",
        anonymous: "error:42501",
      },
    );
    matrix(
      w,
      "select every integration without a filter (RLS filters, not the query)",
      () => ({ text: "select id from public.integrations" }),
      {
        owner: "ok:1",
        admin: "ok:1",
        member: "ok:0",
        viewer: "ok:0",
        outsider: "ok:1",
        anonymous: "error:42501",
      },
    );
    for (const column of [
      "access_token_enc",
      "refresh_token_enc",
      "webhook_secret_enc",
      "installation_updated_at",
    ]) {
      matrix(
        w,
        `select ${column} (no column grant)`,
        (x) => ({
          text: `select ${column} from public.integrations where organization_id = $1`,
          params: [x.orgA.id],
        }),
        everyone("error:42501"),
      );
    }
    matrix(
      w,
      "select * (includes the secret columns)",
      () => ({ text: "select * from public.integrations" }),
      everyone("error:42501"),
    );
  });

  describe("insert", () => {
    matrix(
      w,
      "connect an integration directly",
      (x) => ({
        text: `insert into public.integrations (organization_id, provider, external_account_id)
               values ($1, 'github', 'direct-insert')`,
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "mark workspace A's integration connected / swap its token",
      () => ({
        text: "update public.integrations set status = 'connected', access_token_enc = null where id = $1",
        params: [integrationA],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "delete workspace A's integration",
      () => ({ text: "delete from public.integrations where id = $1", params: [integrationA] }),
      everyone("error:42501"),
    );
  });

  describe("service role and invariants", () => {
    it("the service role reads the ciphertext and writes", async () => {
      const read = await asServiceRole(
        "select access_token_enc from public.integrations where id = $1",
        [integrationA],
      );
      expect(read).toMatchObject({ ok: true, rows: [{ access_token_enc: CIPHERTEXT }] });
      expect(
        await asServiceRole("update public.integrations set last_event_at = now() where id = $1", [
          integrationA,
        ]),
      ).toMatchObject({ ok: true, rowCount: 1 });
      expect(
        await asServiceRole("delete from public.integrations where id = $1", [integrationB]),
      ).toMatchObject({ ok: true, rowCount: 1 });
    });

    it("category is derived from the provider", async () => {
      const rows = await asSuperuser<{ provider: string; category: string }>(
        "select provider, category from public.integrations where id = any($1) order by provider",
        [[integrationA, integrationB]],
      );
      expect(rows).toEqual([
        { provider: "github", category: "code" },
        { provider: "zendesk", category: "support" },
      ]);
    });

    it("a second live support tool for the same workspace is refused", async () => {
      const out = await asServiceRole(
        `insert into public.integrations (organization_id, provider, external_account_id)
         values ($1, 'intercom', $2)`,
        [world.orgA.id, `app-${suffix}`],
      );
      expect(out).toMatchObject({ ok: false, code: "23505" });
    });

    it("an external account already connected to a workspace cannot join another", async () => {
      const out = await asServiceRole(
        `insert into public.integrations (organization_id, provider, external_account_id)
         values ($1, 'zendesk', $2)`,
        [world.orgB.id, `acme-${suffix}`],
      );
      expect(out).toMatchObject({ ok: false, code: "23505" });
    });

    it("after a disconnect the workspace may connect a support tool again", async () => {
      const client = await db().connect();
      try {
        await client.query("begin");
        await client.query("set local role service_role");
        await client.query(
          `update public.integrations set status = 'disconnected', access_token_enc = null,
             refresh_token_enc = null, webhook_secret_enc = null, disconnected_at = now()
           where id = $1`,
          [integrationA],
        );
        const out = await client.query(
          `insert into public.integrations (organization_id, provider, external_account_id)
           values ($1, 'intercom', $2)`,
          [world.orgA.id, `app-${suffix}`],
        );
        expect(out.rowCount).toBe(1);
      } finally {
        await client.query("rollback");
        client.release();
      }
    });

    it("a secret in clear is refused", async () => {
      for (const column of ["access_token_enc", "refresh_token_enc", "webhook_secret_enc"]) {
        const out = await asServiceRole(
          `update public.integrations set ${column} = 'sbx_zd_at_clear' where id = $1`,
          [integrationA],
        );
        expect(out, column).toMatchObject({ ok: false, code: "23514" });
      }
    });

    it("a disconnected integration keeps no credential", async () => {
      const out = await asServiceRole(
        "update public.integrations set status = 'disconnected' where id = $1",
        [integrationA],
      );
      expect(out).toMatchObject({ ok: false, code: "23514" });
    });

    it("an integration never moves to another workspace", async () => {
      const out = await asServiceRole(
        "update public.integrations set organization_id = $2 where id = $1",
        [integrationA, world.orgB.id],
      );
      expect(out).toMatchObject({ ok: false, code: "PT422" });
    });
  });
});
