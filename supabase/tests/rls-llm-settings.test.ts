import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asSuperuser, buildWorld, closeDb, type World } from "./helpers/db";
import { everyone, matrix } from "./helpers/matrix";

/**
 * RLS on public.llm_settings: every member sees which provider the workspace sends text to
 * (organization.read), never the key's ciphertext (column grants); nobody writes through the
 * API (the admin-gated settings action seals the key and writes with the service role).
 */

// a well-formed keyring ciphertext (the check constraint's shape); its content is irrelevant here
const CIPHERTEXT = "v1.k1.AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB";

let world: World;
beforeAll(async () => {
  world = await buildWorld("llm-settings");
  for (const org of [world.orgA, world.orgB]) {
    await asSuperuser(
      `insert into public.llm_settings (organization_id, provider, api_key_enc, api_key_set_at)
       values ($1, 'anthropic', $2, now())`,
      [org.id, CIPHERTEXT],
    );
  }
});
afterAll(closeDb);
const w = () => world;

describe("rls: llm_settings", () => {
  describe("select", () => {
    matrix(
      w,
      "read workspace A's provider",
      (x) => ({
        text: "select provider, model, api_key_set_at from public.llm_settings where organization_id = $1",
        params: [x.orgA.id],
      }),
      {
        owner: "ok:1",
        admin: "ok:1",
        member: "ok:1",
        viewer: "ok:1",
        outsider: "ok:0",
        anonymous: "error:42501",
      },
    );
    matrix(
      w,
      "read workspace A's key ciphertext",
      (x) => ({
        text: "select api_key_enc from public.llm_settings where organization_id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
    matrix(
      w,
      "read every column of workspace A's row (select *)",
      (x) => ({
        text: "select * from public.llm_settings where organization_id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("insert", () => {
    matrix(
      w,
      "choose a provider for workspace A",
      (x) => ({
        text: `insert into public.llm_settings (organization_id, provider, api_key_enc, api_key_set_at)
               values ($1, 'openai', $2, now())
               on conflict (organization_id) do update set provider = excluded.provider`,
        params: [x.orgA.id, CIPHERTEXT],
      }),
      everyone("error:42501"),
    );
  });

  describe("update", () => {
    matrix(
      w,
      "turn workspace A's provider off",
      (x) => ({
        text: `update public.llm_settings set provider = 'none', api_key_enc = null, api_key_set_at = null
               where organization_id = $1`,
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("delete", () => {
    matrix(
      w,
      "delete workspace A's setting",
      (x) => ({
        text: "delete from public.llm_settings where organization_id = $1",
        params: [x.orgA.id],
      }),
      everyone("error:42501"),
    );
  });

  describe("invariants", () => {
    it("a provider needs a key, and off keeps none", async () => {
      await expect(
        asSuperuser(
          "update public.llm_settings set api_key_enc = null, api_key_set_at = null where organization_id = $1",
          [world.orgB.id],
        ),
      ).rejects.toThrow(/llm_settings_provider_needs_key/);
      await expect(
        asSuperuser("update public.llm_settings set provider = 'none' where organization_id = $1", [
          world.orgB.id,
        ]),
      ).rejects.toThrow(/llm_settings_provider_needs_key/);
    });

    it("the row id, which the key's ciphertext is bound to, never changes", async () => {
      const [before] = await asSuperuser<{ id: string }>(
        "select id from public.llm_settings where organization_id = $1",
        [world.orgB.id],
      );
      const [after] = await asSuperuser<{ id: string }>(
        "update public.llm_settings set id = gen_random_uuid(), model = 'm-1' where organization_id = $1 returning id",
        [world.orgB.id],
      );
      expect(after?.id).toBe(before?.id);
    });

    it("rejects a key that is not keyring ciphertext", async () => {
      await expect(
        asSuperuser(
          "update public.llm_settings set api_key_enc = 'sk-live-plain' where organization_id = $1",
          [world.orgB.id],
        ),
      ).rejects.toThrow(/api_key_enc_check/);
    });
  });
});
