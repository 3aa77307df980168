import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asSuperuser, buildWorld, closeDb, db, type World } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";

/**
 * RLS on public.oauth_states: the single-use OAuth state nonces are the service role's alone.
 * No client role has a grant, so every persona is refused every command, even on its own rows.
 */

let world: World;
let nonceHash: string;
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

beforeAll(async () => {
  world = await buildWorld("oauth");
  nonceHash = sha256(randomBytes(32).toString("base64url"));
  await asSuperuser(
    `insert into public.oauth_states (nonce_hash, organization_id, user_id, provider, expires_at)
     values ($1, $2, $3, 'zendesk', now() + interval '10 minutes')`,
    [nonceHash, world.orgA.id, world.users.owner.id],
  );
});
afterAll(closeDb);
const w = () => world;

describe("rls: oauth_states", () => {
  describe("select", () => {
    matrix(
      w,
      "read workspace A's OAuth states",
      (x) => ({
        text: "select nonce_hash from public.oauth_states where organization_id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("insert", () => {
    matrix(
      w,
      "mint an OAuth state directly",
      (x) => ({
        text: `insert into public.oauth_states (nonce_hash, organization_id, user_id, provider, expires_at)
               values ($1, $2, $3, 'github', now() + interval '1 day')`,
        params: [sha256(`forged-${x.orgA.id}`), x.orgA.id, x.users.owner.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "un-consume or extend a state",
      () => ({
        text: "update public.oauth_states set consumed_at = null, expires_at = now() + interval '1 year' where nonce_hash = $1",
        params: [nonceHash],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "delete a state",
      () => ({
        text: "delete from public.oauth_states where nonce_hash = $1",
        params: [nonceHash],
      }),
      everyone("error:42501"),
    );
  });

  describe("service role", () => {
    it("consumes a state once: the second atomic update finds nothing", async () => {
      const client = await db().connect();
      try {
        await client.query("begin");
        await client.query("set local role service_role");
        const consume = `update public.oauth_states set consumed_at = now()
                          where nonce_hash = $1 and consumed_at is null and expires_at > now()`;
        expect((await client.query(consume, [nonceHash])).rowCount).toBe(1);
        expect((await client.query(consume, [nonceHash])).rowCount).toBe(0);
      } finally {
        await client.query("rollback");
        client.release();
      }
    });

    it("refuses a nonce that is not a SHA-256 hex digest (no raw nonce stored)", async () => {
      await expect(
        asSuperuser(
          `insert into public.oauth_states (nonce_hash, organization_id, user_id, provider, expires_at)
           values ('raw-nonce', $1, $2, 'zendesk', now())`,
          [world.orgA.id, world.users.owner.id],
        ),
      ).rejects.toMatchObject({ code: "23514" });
    });
  });
});
