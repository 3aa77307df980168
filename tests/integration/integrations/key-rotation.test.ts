import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createKeyring } from "@/lib/crypto/keyring";
import { asSuperuser, closeDb } from "@/supabase/tests/helpers/db";
import { KEY_NEW, KEY_OLD, useIntegrationsEnv, workspace } from "./fixtures";

vi.mock("server-only", () => ({}));

/**
 * Key rotation on the real integrations table: run the batch function directly, interrupt after
 * one batch (a kill), run again: everything ends on the new key, the second full run rotates 0,
 * and each workspace touched gets a `secrets.rotated` audit entry.
 */

let rotation: typeof import("@/lib/integrations/key-rotation");
let rotationStore: typeof import("@/lib/integrations/rotation-store");
const oldRing = () => createKeyring(new Map([["old", Buffer.from(KEY_OLD, "base64")]]));
const newRing = () =>
  createKeyring(
    new Map([
      ["new", Buffer.from(KEY_NEW, "base64")],
      ["old", Buffer.from(KEY_OLD, "base64")],
    ]),
  );
let orgs: Array<{ id: string }> = [];
const ids: string[] = [];

beforeAll(async () => {
  useIntegrationsEnv();
  (await import("@/lib/env")).resetEnvCacheForTests();
  rotation = await import("@/lib/integrations/key-rotation");
  rotationStore = await import("@/lib/integrations/rotation-store");
  orgs = [await workspace("rota"), await workspace("rotb")];
  const ring = oldRing();
  for (const [i, org] of orgs.entries()) {
    for (const provider of ["zendesk", "github"] as const) {
      const id = randomUUID();
      ids.push(id);
      const seal = (column: string, v: string) =>
        ring.encrypt(v, { organizationId: org.id, table: "integrations", rowId: id, column });
      await asSuperuser(
        `insert into public.integrations (id, organization_id, provider, external_account_id,
           access_token_enc, refresh_token_enc, webhook_secret_enc)
         values ($1, $2, $3, $4, $5, $6, $7)`,
        [
          id,
          org.id,
          provider,
          `${provider}${i}${id.slice(0, 8)}`,
          seal("access_token_enc", `sbx_at_${id}`),
          provider === "zendesk" ? seal("refresh_token_enc", `sbx_rt_${id}`) : null,
          provider === "zendesk" ? seal("webhook_secret_enc", `sbx_whsec_${id}`) : null,
        ],
      );
    }
  }
});
afterAll(closeDb);

async function keysInUse(): Promise<string[]> {
  const rows = await asSuperuser<{ c: string | null }>(
    `select split_part(c, '.', 2) as c from public.integrations,
       unnest(array[access_token_enc, refresh_token_enc, webhook_secret_enc]) as c
     where id = any($1) and c is not null`,
    [ids],
  );
  return rows.map((r) => r.c ?? "").sort();
}

describe("key rotation on the database", () => {
  it("one workspace: a batch, a kill, a rerun that finishes, a second run that rotates 0", async () => {
    const org = orgs[0] as { id: string };
    const batch = (input: Parameters<typeof rotation.rotateBatch>[0]) =>
      rotation.rotateBatch(input, {
        keyring: newRing(),
        store: rotationStore.databaseRotationStore({ organizationId: org.id }),
      });
    // first batch only (limit 1 row), then "killed"
    const first = await batch({ table: "integrations", after: null, limit: 1 });
    expect(first.rotated).toBeGreaterThan(0);
    expect(first.next).not.toBeNull();
    const afterKill = await keysInUse();
    expect(afterKill.filter((k) => k === "new")).toHaveLength(first.rotated);

    const direct = <T>(_id: string, fn: () => Promise<T>) => fn();
    const rerun = await rotation.rotateAll(direct, batch, { limit: 1 });
    expect(rerun).toMatchObject({ scanned: 4, rotated: 4 - first.rotated, failed: 0 });
    const again = await rotation.rotateAll(direct, batch, { limit: 1 });
    expect(again).toMatchObject({ scanned: 4, rotated: 0, failed: 0 });

    const audits = await asSuperuser<{ metadata: { rotated: number; keyId: string } }>(
      "select metadata from public.audit_log where action = 'secrets.rotated' and organization_id = $1",
      [org.id],
    );
    expect(audits.reduce((n, a) => n + a.metadata.rotated, 0)).toBe(4);
    expect(audits.every((a) => a.metadata.keyId === "new")).toBe(true);
  });

  it("every workspace (the script's run): the rest of the rows end on the new key, values intact", async () => {
    const direct = <T>(_id: string, fn: () => Promise<T>) => fn();
    const out = await rotation.rotateAll(
      direct,
      (input) =>
        rotation.rotateBatch(input, {
          keyring: newRing(),
          store: rotationStore.databaseRotationStore({}),
        }),
      { limit: 3 },
    );
    expect(out.rotated).toBeGreaterThanOrEqual(4);
    expect(new Set(await keysInUse())).toEqual(new Set(["new"]));
    const rows = await asSuperuser<{
      id: string;
      organization_id: string;
      access_token_enc: string;
    }>("select id, organization_id, access_token_enc from public.integrations where id = any($1)", [
      ids,
    ]);
    for (const row of rows) {
      const place = {
        organizationId: row.organization_id,
        table: "integrations",
        rowId: row.id,
        column: "access_token_enc",
      };
      expect(newRing().decrypt(row.access_token_enc, place)).toBe(`sbx_at_${row.id}`);
    }
    const again = await rotation.rotateAll(
      direct,
      (input) =>
        rotation.rotateBatch(input, {
          keyring: newRing(),
          store: rotationStore.databaseRotationStore({}),
        }),
      { limit: 3 },
    );
    expect(again.rotated).toBe(0);
  });
});
